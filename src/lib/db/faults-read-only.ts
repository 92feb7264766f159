/**
 * Test support, loaded into a `liner` child process with `node --import`: every SQLite
 * connection of the process is read-only (see faults.ts), as if its data folder were, which
 * chmod cannot arrange for a process running as root.
 */
import { limitSqliteConnections } from "./faults.ts";

limitSqliteConnections("read-only");
