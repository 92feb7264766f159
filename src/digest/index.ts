/** The digest module's public surface: other modules import only this file. */
