/** The export module's public surface: other modules import only this file. Nothing: it gathers the others' parts through the module host. */
export {};
