/** The events module's public surface: other modules import only this file (nothing yet). */
export {};
