/*
 * planted_oracles against the fixed library: devauth_fixed's PUBLIC
 * DEVAUTH_FIXED renames the calls (devauth.h). A file of its own because
 * the firmware image gives each fuzz target's own files their own entry,
 * and compiles a file two targets share only once.
 */
#include "fuzz_planted_oracles.c"
