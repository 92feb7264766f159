/**
 * The demo site's identity (its title and author), apart from the rest of the demo so that the
 * setup form and the checklist can tell "still the demo's" from "the owner's" cheaply.
 */
import type { SiteSettings } from "./settings.ts";

/** The site settings the demo seeds. */
export const demoSite = {
  title: "Dana Whitfield · Notes on the social web",
  description:
    "Articles and talks for professionals who share what they know: social web strategy, writing that leads to work, and learning in public.",
  language: "en",
  author: {
    name: "Dana Whitfield",
    photoUrl: "",
    location: "Toronto, Canada",
    bio: "Independent consultant. I help executives and small firms turn what they already know into articles, talks and conversations that bring the right people to them.",
    email: "",
    links: [
      { label: "Mastodon", url: "https://social.example/@dana" },
      { label: "LinkedIn", url: "https://www.linkedin.example/in/dana-whitfield" },
      { label: "Newsletter", url: "https://newsletter.example/dana" },
    ],
  },
};

/** True while the site's title or author are still the demo's: the owner has not set their own. */
export function isDemoIdentity(s: Pick<SiteSettings, "title" | "author">): boolean {
  return s.title === demoSite.title || s.author.name === demoSite.author.name;
}
