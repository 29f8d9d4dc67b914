// The injection token of forRoot's options, in a module of its own: the module definition and the
// providers it lists both need it.

/** The token of the options given to forRoot / forRootAsync. */
export const STRUCTSYNC_OPTIONS: unique symbol = Symbol('structsync:options');
