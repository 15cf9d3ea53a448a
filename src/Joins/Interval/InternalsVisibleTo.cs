using System.Runtime.CompilerServices;

// The interval join's tests inspect its per-key buffers.
[assembly: InternalsVisibleTo("Cep.Tests.Property")]
