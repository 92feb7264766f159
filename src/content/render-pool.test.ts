// test lanes: sqlite only
import assert from "node:assert/strict";
import { test } from "node:test";
import { RenderPool } from "./render-pool.ts";
import { renderBody } from "./service.ts";

test("the pool renders exactly like renderBody, in order, across workers", async () => {
  const pool = new RenderPool(2);
  try {
    const jobs = Array.from({ length: 60 }, (_, i) => ({
      kind: i === 7 ? ("presentation" as const) : ("article" as const),
      body: i === 7 ? "# One\n\n---\n\n# Two" : `# Post ${i}\n\nSome *text* for post ${i}.`,
    }));
    const [a, b] = await Promise.all([pool.render(jobs.slice(0, 30)), pool.render(jobs.slice(30))]);
    const all = [...a, ...b];
    assert.equal(all.length, 60);
    assert.deepEqual(
      all,
      jobs.map((j) => renderBody(j.kind, j.body)),
    );
  } finally {
    await pool.close();
  }
});
