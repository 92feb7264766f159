/** The auth module's public surface: other modules import only this file. */
export { csrf, sessionMiddleware } from "./middleware.ts";
export { createSetupToken } from "./setup.ts";
export { countUsers, ownerEmail, userNames } from "./users.ts";
