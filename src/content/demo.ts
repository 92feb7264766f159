/**
 * The demo site seeded into an empty database on first start: an independent consultant's
 * home base with three themes, a handful of articles, a note, a slide deck and an about page,
 * so a new owner sees what the site is for before writing a word. Everything can be edited
 * or deleted from the admin; once seeded it is never seeded again.
 */
import type { AppContext } from "../lib/context.ts";
import { demoSite as site } from "./demo-identity.ts";
import { DEMO_NOTE } from "./demo-store.ts";
import { savePost, systemActor } from "./service.ts";
import { saveSiteSettings, siteSettingsSaved } from "./settings.ts";
import { slugify } from "./slug.ts";
import { contentStateStore, postStore, themeStore } from "./store.ts";
import { saveTheme } from "./themes.ts";

const themes = [
  {
    key: "social",
    name: "Social web strategy",
    description:
      "How a busy professional can use the social web without turning into a broadcaster: start from the outcomes you want, go where your people already talk, and build on small wins.",
  },
  {
    key: "writing",
    name: "Writing that leads to work",
    description:
      "Articles and talks that are useful enough to be forwarded, found and remembered, so that the next client arrives already knowing how you think.",
  },
  {
    key: "learning",
    name: "Learning in public",
    description:
      "Notes on sharing what I am figuring out while I figure it out: the sources behind the sources, the experiments that failed, and the questions still open.",
  },
] as const;

type ThemeKey = (typeof themes)[number]["key"];

interface DemoPost {
  kind: "article" | "note" | "presentation" | "page";
  title: string;
  slug: string;
  summary: string;
  themes: ThemeKey[];
  daysAgo: number;
  body: string;
}

const posts: DemoPost[] = [
  {
    kind: "article",
    title: "Picture the forward, not the follower count",
    slug: "picture-the-forward",
    summary:
      "Before deciding how often to post, write down the story of what you hope happens after someone reads you. The story tells you what to build.",
    themes: ["social", "writing"],
    daysAgo: 190,
    body: `A client asked me last spring how many posts a week she should publish. It is the question almost everyone starts with, and it is the wrong first question. A number is easy to track and says nothing about whether anything good happened.

So we tried something else. I asked her to describe, in plain sentences, what a good month would look like from the point of view of the people she hoped to reach.

## Tell it as a sequence of actions

Her first draft went like this. A managing partner at a mid-sized firm gets a short email from her with a link. He opens it because her links have been worth opening before. The article names a problem his operations lead has been complaining about for a quarter, so he forwards it with one line: "Worth twenty minutes?" The operations lead reads it, finds two more pieces on the same site, and books a call.

Nothing in that story is about follower counts. Every step is an action somebody takes, and every action depends on something she has to have ready:

- a piece that solves one specific problem well enough to be forwarded without an apology;
- a site where the next two pieces are easy to find, grouped by the problems she works on;
- a way to get in touch that does not require a sales conversation first.

## Check the story for weak links

Once the story is written down you can test it. Would the partner really open the email? Only if the last three were useful. Would the operations lead find more? Only if the articles are not buried in a feed of announcements. Each doubt turns into a task, and the tasks are far more concrete than "post more".

## Then count what matters

We still count things, but different things: forwards, replies, people who mention an article on a first call. Those numbers are small. They are also the ones that pay the bills.

Write your own version of the story this week. Keep it to one page, name real roles, and look for the step that would break first. That step is your next piece of work.`,
  },
  {
    kind: "article",
    title: "It's the story over time, not the single post",
    slug: "story-over-time",
    summary:
      "One post disappears into the stream. A year of posts that share a point of view becomes a reputation. Judge your participation by the arc, not the moment.",
    themes: ["social", "learning"],
    daysAgo: 150,
    body: `"Nobody is going to notice one more post." I hear this from senior people more than from anyone else, and they are right. A single update, photo or link is a drop in a very fast river.

The mistake is in the unit of measure. Nobody judges you by one post, in the same way nobody judges a colleague by one meeting. What people remember is the pattern: what you keep coming back to, what you recommend, who you give credit to, how you handle being wrong.

## Decide what the pattern should say

Before worrying about any individual post, write down three things you want to be known for after a year. Mine are the three themes on this site. They work as a filter. When I am about to share something, I ask whether it adds a line to one of those three stories. If it does not, it can still be fine, a joke, a photo from a conference, but it is not the work.

## Mix the formats, keep the thread

The story is told across everything you do: a long article, a short note, a talk, a reply to someone else's question, an email to a client with a link in it. The format matters less than the continuity. A reader who meets you through a slide deck should be able to find the article behind it, and the note that started it, in two clicks.

That is why this site groups everything by theme rather than by date alone. The archive is the story; each post is a chapter.

## Give it a year

Set a calendar reminder twelve months out. When it fires, read your own archive from the start as if you were a stranger. Would that stranger know what you stand for, and would they know who to send to you? If the answer is yes, the individual posts did their job, even the ones nobody seemed to notice at the time.`,
  },
  {
    kind: "article",
    title: "Go where the conversation already is",
    slug: "go-where-the-conversation-is",
    summary:
      "There is no universal social media strategy, but there is a reliable first move: find the places your people already talk, and join in before you need anything.",
    themes: ["social"],
    daysAgo: 110,
    body: `Every few months someone asks me which network is "the one" this year. I understand the wish for a single answer. There is none, and anyone who sells you one is selling something else too.

What does hold, in my experience, is a simple first move: find out where the conversations you care about are already happening, and go there.

## Where the deals used to happen

Business conversations have always had a venue. For a long time it was the club, the conference bar, the golf course, the board dinner. Those venues mostly shut out anyone without the right introduction. Today a lot of the same conversations happen in public threads, small forums, newsletters with a reply button and the comments under a thoughtful article. The entry fee is attention and good faith.

## How to find the venue

Start from people, not platforms. List ten people whose judgment you trust in your field, then look at where they publish, who they reply to and which links they share. Within a week you will see two or three places come up again and again. That is your venue, whatever the industry press says is fashionable.

## How to behave once you are there

Listen first. Read for a couple of weeks before posting anything of your own. When you do speak, answer questions, add a source, or say what happened when you tried the thing being discussed. Do not lead with your services. Communities notice people who arrive only to extract value, and they are quick to show them the door.

## Bring it home

The conversation happens elsewhere, but the thinking should end up somewhere you own. When a thread leads to a good answer, write it up properly on your own site and link back to the discussion that shaped it. Over time your site becomes the place where those scattered conversations are collected, searchable and credited, and the people who took part in them are the first to share it.`,
  },
  {
    kind: "article",
    title: "Liner notes: pass along the source's source",
    slug: "liner-notes-source-of-the-source",
    summary:
      "Album liner notes sent us to the next record. A weekly round-up of links does the same for a team, if every item credits where it came from.",
    themes: ["learning", "writing"],
    daysAgo: 70,
    body: `If you bought records, you probably remember reading the liner notes. The session drummer, the producer, the studio, the friend who sang backing vocals on one track: each name was a door to another album. A whole musical education could start from one sleeve.

The social web works the same way, and it is the cheapest way I know to show a sceptical organisation what it is good for.

## Start with one person you admire

Pick an author, an analyst or a practitioner you already read. Follow them where they publish. Watch whom they quote and whose work they pass along. Follow those people too. Then follow the links those people share. In a month you have a small, hand-built network of sources that no vendor could sell you.

## Turn it into a flash report

At one job I sent a short weekly email to colleagues: five or six items, each a sentence or two on why it mattered to us, each with a link. It took an hour on Friday mornings. Within a few months people were quoting it in planning meetings, and a director asked to be added to the list.

If I did it again today, I would change one thing. Every item would name the source, and where it mattered, the source's source: the person who first spotted the study, the thread where the idea came up, the newsletter that pointed me there. Credit is not just politeness. It teaches readers where good information comes from, so the report keeps paying off after they stop reading it.

## Why this is a small win worth having

A flash report costs almost nothing, shows value within weeks, and changes the conversation from "why would we waste time on social media" to "where did you find that". It also builds the habit that every public post needs: read widely, pick carefully, say why it matters, and credit generously.

Publish the best of each week's report here as a note, and in a year you have a searchable record of what your field was talking about and what you thought of it.`,
  },
  {
    kind: "article",
    title: "Write down the answer you keep giving",
    slug: "write-down-the-answer",
    summary:
      "The most useful article you can publish is the explanation you have already given five times on calls. Writing it once saves you time and brings the next client.",
    themes: ["writing", "learning"],
    daysAgo: 35,
    body: `Look at your sent mail from the last month. Somewhere in there is an explanation you have typed, with small variations, to three or four different people. That explanation is your next article.

## Why repeated answers make the best posts

They are already tested. You know which questions people ask, where they get confused, which example makes it click. They are also specific, which is what makes a piece useful enough to be forwarded. Generic advice gets a polite like; a precise answer to a real question gets sent to the colleague who needs it.

## Write it for the person who is not on the call

When you explain something live, you watch the other person's face and adjust. On the page you cannot, so write for the person who was not in the room: the director who receives the link with "see this" and nothing else. Say what problem this solves in the first paragraph, show one worked example, and end with what to do on Monday.

## Make it findable, including by you

The quiet benefit is that you become your own best reader. The next time someone asks, you reply with a link instead of an essay. A few months later, half-remembering you wrote something about it, you search your own site and there it is, with the source you had forgotten. That is why a search that reads the body of every post, not just the titles, matters more than any design choice on a site like this.

## Keep a list

Keep a running note called "answers I keep giving". Add a line each time you catch yourself explaining the same thing. When the list has three items, you have a month of writing that is almost certain to be useful to someone, because it already was.`,
  },
  {
    kind: "note",
    title: "Small win this week",
    slug: "small-win-this-week",
    summary: "A reader forwarded last month's flash report to their whole team. Credit travels.",
    themes: ["learning"],
    daysAgo: 12,
    body: `A reader wrote to say she had forwarded last month's flash report to her whole team, and that two of them now follow the researchers I credited. That is the liner-notes effect in one email: the value was not in my summary, it was in the names behind it. Keep crediting the source's source.`,
  },
  {
    kind: "presentation",
    title: "Small wins on the social web",
    slug: "small-wins-on-the-social-web",
    summary:
      "A short talk for leadership teams: why the social web is a long game, and three small wins that show its value in weeks rather than years.",
    themes: ["social", "learning"],
    daysAgo: 55,
    body: `---
marp: true
paginate: true
---

# Small wins on the social web

A talk for leadership teams

Dana Whitfield · Toronto

---

## The worst time to build a network

... is the week you need one.

- Launches, job searches and crises all invite broadcasting
- People can tell when someone shows up only to ask
- Trust is built in small useful moments, well before any ask

---

## Culture before tactics

The real questions are not "what shall we post?"

- How shall we connect?
- What are we willing to give away?
- Who in the company has time to listen?

---

## Small win 1: listen on purpose

- Pick five people whose judgment you trust
- Follow them, then follow whom they credit
- One hour a week, on the calendar

---

## Small win 2: a weekly flash report

- Five items, two sentences each, one link each
- Name the source, and the source's source
- Send it inside the company first

---

## Small win 3: answer in public

- Turn a question you answered three times into an article
- Link to it the next time it comes up
- Group articles by theme so the next one is easy to find

---

## Measure the story, not the moment

- Forwards, replies, first calls that mention a post
- Read your own archive after a year: what does it say?

---

## Thank you

Slides and articles: this site, under *Social web strategy*

Questions are welcome, here or by email`,
  },
  {
    kind: "page",
    title: "About",
    slug: "about",
    summary: "Independent consultant in Toronto, helping professionals share what they know.",
    themes: [],
    daysAgo: 200,
    body: `I'm Dana Whitfield, an independent consultant based in Toronto. For fifteen years I have helped executives, partners in small firms and solo practitioners turn what they already know into articles, talks and conversations that bring the right people to them.

Most of my clients do not want to become influencers. They want the people who could use their help to find them, recognise that they know what they are talking about, and get in touch. That is a much smaller and more achievable goal, and it is what this site is about.

## What I write about

- **Social web strategy**: starting from the outcomes you want, going where your people already talk, and building on small wins.
- **Writing that leads to work**: pieces useful enough to be forwarded and found months later.
- **Learning in public**: what I am figuring out, with credit to the people I learned it from.

## Working with me

I run half-day workshops for leadership teams, coach individuals over three months, and give talks for professional associations. If one of the articles here describes a problem you have, write to me and mention it: that is the best possible start to a conversation.

*This is a demo site created by Liner Notes on first start. Edit or delete any of it from the admin.*`,
  },
];

/** The demo's themes as seeded (slug and description): unchanged ones are the demo's to remove. */
export const demoThemes = (): { slug: string; description: string }[] =>
  themes.map((t) => ({ slug: slugify(t.name), description: t.description }));

/** True when the demo has been seeded before (even if its posts were deleted since). */
export async function demoWasSeeded(ctx: AppContext): Promise<boolean> {
  return (await contentStateStore(ctx.db).demoSeededAt()) !== null;
}

/** Seed the demo site. Existing site settings and themes with the same slugs are kept. Returns the post count. */
export async function seedDemo(ctx: AppContext): Promise<number> {
  if (!(await siteSettingsSaved(ctx))) await saveSiteSettings(ctx, site);

  const ids = new Map<ThemeKey, number>();
  const store = themeStore(ctx.db);
  for (const [position, t] of themes.entries()) {
    const slug = slugify(t.name);
    const existing = await store.bySlug(slug);
    const theme = existing ?? (await saveTheme(ctx, { name: t.name, slug, description: t.description, position }));
    ids.set(t.key, theme.id);
  }

  const now = ctx.now().getTime();
  // Oldest first, so ids follow publication order as they would on a real site.
  const ordered = [...posts].sort((a, b) => b.daysAgo - a.daysAgo);
  for (const p of ordered) {
    const publishedAt = new Date(now - p.daysAgo * 86_400_000);
    publishedAt.setUTCHours(14, 0, 0, 0);
    await savePost(
      ctx,
      systemActor,
      {
        kind: p.kind,
        title: p.title,
        slug: p.slug,
        summary: p.summary,
        body: p.body,
        themeIds: p.themes.map((key) => ids.get(key)!),
        status: "published",
        publishedAt,
      },
      undefined,
      DEMO_NOTE,
      { announce: false },
    );
  }
  await contentStateStore(ctx.db).markDemoSeeded(ctx.now().toISOString());
  return posts.length;
}

/**
 * On a fresh install: seed the demo when the database has never had posts. Someone who deleted
 * every demo post to start afresh does not get them back on restart. Returns the number of
 * posts seeded (0 when nothing was done).
 */
export async function seedDemoOnFirstStart(ctx: AppContext): Promise<number> {
  if (await postStore(ctx.db).hasAny()) return 0;
  if (await demoWasSeeded(ctx)) return 0;
  return seedDemo(ctx);
}
