/** The digest module's public surface: other modules import only this file. Nothing yet: no module depends on it. */
export {};
