/** Worker thread for `RenderPool`: renders post bodies with the same code as `savePost`. */
import { parentPort } from "node:worker_threads";
import { renderBody } from "../content/service.ts";
import type { PostKind } from "../lib/db/schema.ts";

interface Task {
  id: number;
  jobs: { kind: PostKind; body: string }[];
}

parentPort?.on("message", (task: Task) => {
  try {
    parentPort?.postMessage({ id: task.id, results: task.jobs.map((j) => renderBody(j.kind, j.body)) });
  } catch (err) {
    parentPort?.postMessage({ id: task.id, error: err instanceof Error ? err.message : String(err) });
  }
});
