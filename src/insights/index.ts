/** The insights module's public surface. */
export { insightsModule } from "./module.ts";
