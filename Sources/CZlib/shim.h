#include <zlib.h>

// inflateInit is a macro (it passes the library's version and the stream's size); Swift imports
// no function-like macros, so this wraps it.
static inline int czlib_inflate_init(z_streamp stream) { return inflateInit(stream); }
