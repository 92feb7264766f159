/**
 * The admin home's part above the posts (the owner's): the checklist gathered from every module, the
 * "Remove the demo content" action with its undo, and dismissing the checklist. The home page
 * itself is the posts list (posts.ts), which shows `homeIntro` above it; then the modules' panels
 * (`homePanel`: what the writing led to, from insights).
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import type { AppContext } from "../../lib/context.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, one, userOf } from "../../lib/http/request.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import type { ChecklistItem } from "../../lib/module.ts";
import { hasRole } from "../../lib/roles.ts";
import { csrfField, type Html } from "../../lib/ui/layout.ts";
import { demoWasSeeded } from "../demo.ts";
import { dismissChecklist, onboardingState, removeDemoContent, undoDemoRemoval } from "../onboarding.ts";

const messages: Record<string, string> = {
  restored: "Demo content restored.",
  none: "There is no demo content left to remove.",
  "nothing-to-undo": "There is nothing to undo.",
};

function item(i: ChecklistItem): Html {
  return html`<li>
  <span class="badge${i.done ? " badge-published" : ""}">${i.done ? "Done" : "To do"}</span>
  <a href="${i.href}">${i.label}</a>${i.detail ? html` <span class="hint">${i.detail}</span>` : ""}
</li>`;
}

const undoForm = (c: Context<AppEnv>) => html`<form method="post" action="/admin/demo/undo" class="inline">
  ${csrfField(c)}<button type="submit" class="link">Undo</button>
</form>`;

/** What the owner sees above the posts on the admin home (nothing for other roles). */
export async function homeIntro(ctx: AppContext, c: Context<AppEnv>): Promise<Html> {
  if (!hasRole(userOf(c).role, "owner")) return html``;
  return html`${await checklistPart(ctx, c)}${await ctx.host.homePanels(ctx, c)}`;
}

async function checklistPart(ctx: AppContext, c: Context<AppEnv>): Promise<Html> {
  const [state, seeded] = await Promise.all([onboardingState(ctx), demoWasSeeded(ctx)]);
  const demoMsg = c.req.query("demo") ?? "";
  const removed =
    demoMsg === "removed" && state.canUndo
      ? html`<div class="notice" role="status"><p>Demo content removed.</p>${undoForm(c)}</div>`
      : demoMsg in messages
        ? html`<p class="notice" role="status">${messages[demoMsg]}</p>`
        : "";
  if (state.dismissed || state.items.length === 0) return html`${removed}`;
  const done = state.items.filter((i) => i.done).length;
  const all = done === state.items.length;
  return html`${removed}<section class="checklist" aria-labelledby="checklist-title">
<h2 id="checklist-title">Get started</h2>
<p class="hint">${done} of ${state.items.length} done.</p>
<ul>${state.items.map(item)}</ul>
<div class="actions">
  ${
    seeded && !state.canUndo
      ? html`<form method="post" action="/admin/demo/remove" class="inline">
    ${csrfField(c)}<button type="submit">Remove the demo content</button>
    <span class="hint">The demo's posts, themes, list and media; your own are kept. You can undo it.</span>
  </form>`
      : state.canUndo && demoMsg !== "removed"
        ? html`<p class="hint">Demo content removed.</p>${undoForm(c)}`
        : ""
  }
  <form method="post" action="/admin/checklist/dismiss" class="inline">
    ${csrfField(c)}<button type="submit" class="link">${all ? "Done: hide this checklist" : "Hide this checklist"}</button>
  </form>
</div>
</section>`;
}

/** The owner's onboarding actions. */
export function homeRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  for (const p of ["/demo/*", "/checklist/*"]) app.use(p, requireUser("owner"));

  app.post("/demo/remove", async (c) => {
    return c.redirect((await removeDemoContent(ctx)) ? "/admin?demo=removed" : "/admin?demo=none", 303);
  });
  app.post("/demo/undo", async (c) => {
    return c.redirect((await undoDemoRemoval(ctx)) ? "/admin?demo=restored" : "/admin?demo=nothing-to-undo", 303);
  });
  app.post("/checklist/dismiss", async (c) => {
    const b = await formBody(c);
    await dismissChecklist(ctx, one(b, "show") !== "1");
    return c.redirect("/admin", 303);
  });
}
