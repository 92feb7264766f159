#!/usr/bin/env node
// Entry point for the `liner` CLI. The source is TypeScript run through Node's
// built-in type stripping (on by default from Node 22.18), so there is no build step.
import "../src/cli/main.ts";
