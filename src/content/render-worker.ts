/** Worker thread for `RenderPool`: renders post bodies with the same code as `savePost`. */
import { parentPort } from "node:worker_threads";
import type { PostKind } from "../lib/db/schema.ts";
import { renderOutcome } from "./bulk.ts";

interface Task {
  id: number;
  jobs: { kind: PostKind; body: string }[];
}

parentPort?.on("message", (task: Task) => {
  parentPort?.postMessage({ id: task.id, results: task.jobs.map((j) => renderOutcome(j.kind, j.body)) });
});
