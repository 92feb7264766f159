/** The backup module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

export const backupCommands: CliCommandSpec[] = [
  {
    name: "backup",
    overview: "  backup FILE|FOLDER              Back up the database and media into one file, while the site runs\n",
    usage: `Usage: liner backup FILE|FOLDER

Writes a consistent backup of the running site to FILE (its name ends in .tar.gz; its folder
must exist), or into FOLDER under a dated name (liner-backup-YYYYMMDD-HHMMSS.tar.gz): every
table of the database from one snapshot, as portable JSON lines (a backup of SQLite restores
onto PostgreSQL and the other way round), the media folder, and a manifest with every entry's
SHA-256. The file (mode 0600: only its owner may read it) is read back and checked before it is
given its name. The site keeps running meanwhile.
`,
    load: async () => (await import("./cli.ts")).backupCommand,
  },
  {
    name: "restore",
    overview: "  restore FILE [--force]          Restore a backup into an empty site (--force: replace everything)\n",
    usage: `Usage: liner restore FILE [--force]

Restores a backup made with \`liner backup\` into the database and data folder of the
environment (LINER_DATA, DATABASE_URL). The backup is checked first (format, version, every
entry's checksum); one made by an older Liner Notes is brought up to date on the way in. A site
that already has posts, users, subscribers, saves or media files is refused unless --force is
given: then everything in it is replaced, the database in one transaction. Stop the site while
restoring, and start it again afterwards.
`,
    load: async () => (await import("./cli.ts")).restoreCommand,
  },
];
