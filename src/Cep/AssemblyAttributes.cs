// The hot paths keep their temporaries on the stack; none reads a local or a stackalloc before writing it, so the
// runtime need not zero them on every call.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
