/* Which planted flaws this build fixes: DEVAUTH_FIXED fixes all seven. */
#ifndef DEVAUTH_FIXES_H
#define DEVAUTH_FIXES_H

#ifdef DEVAUTH_FIXED
#define DEVAUTH_FIX_LOG             1 /* console.c: password logged */
#define DEVAUTH_FIX_KEY_WIPE        1 /* session.c: key left on the stack */
#define DEVAUTH_FIX_COMPARE         1 /* tag.c: memcmp tag compare */
#define DEVAUTH_FIX_DEFAULT_ACCOUNT 1 /* store.c: admin/admin */
#define DEVAUTH_FIX_SALT            1 /* record.c: constant salt */
#define DEVAUTH_FIX_LOCKOUT         1 /* login.c: counted after the check */
#define DEVAUTH_FIX_FETCH           1 /* message.c: header read twice */
#endif

#endif
