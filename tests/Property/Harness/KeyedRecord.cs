using System.Globalization;

namespace Cep.Tests.Harness;

/// <summary>A keyed test record that prints as its id, so that outputs and counterexamples stay short.</summary>
/// <param name="Id">The record's id, unique within a case.</param>
/// <param name="Key">The record's key.</param>
public sealed record KeyedRecord(int Id, int Key)
{
    public override string ToString() => Id.ToString(CultureInfo.InvariantCulture);
}
