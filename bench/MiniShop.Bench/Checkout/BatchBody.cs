using System.Buffers.Binary;

namespace MiniShop.Bench.Checkout;

/// <summary>
/// Reads the operation types out of a transactional batch request body: a HybridRow RecordIO stream, one row per
/// operation (the format the .NET SDK sends; tools/local-services/lib/hybridrow.js decodes it fully for the local
/// server). Only the framing and each row's first fixed column, <c>operationType</c>, are read.
/// </summary>
public static class BatchBody
{
    private const byte HybridRowV1 = 0x81;
    private const int SegmentSchema = 2147473648;
    private const int RecordSchema = 2147473649;
    private const int BatchOperationSchema = 2145473648;

    // Microsoft.Azure.Documents.OperationType values that a batch carries.
    private static readonly Dictionary<int, string> Names = new() { [0] = "create", [1] = "patch", [2] = "read", [4] = "delete", [5] = "replace", [20] = "upsert" };

    /// <returns>The operations in order, e.g. ["replace", "create", "patch"]; null when the body cannot be read.</returns>
    public static IReadOnlyList<string>? Operations(Stream? content)
    {
        if (content is not { CanSeek: true }) return null;
        var position = content.Position;
        try
        {
            content.Position = 0;
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            return Parse(copy.GetBuffer().AsSpan(0, (int)copy.Length));
        }
        finally
        {
            content.Position = position;
        }
    }

    private static List<string>? Parse(ReadOnlySpan<byte> buffer)
    {
        var operations = new List<string>();
        var pos = 0;
        while (pos < buffer.Length)
        {
            if (buffer.Length - pos < 13 || buffer[pos] != HybridRowV1) return null;
            var schema = BinaryPrimitives.ReadInt32LittleEndian(buffer[(pos + 1)..]);
            if (schema == SegmentSchema)
            {
                // version, schema id, a 1-byte presence mask, then the nullable int32 length: the segment's own size.
                var length = BinaryPrimitives.ReadInt32LittleEndian(buffer[(pos + 6)..]);
                if (length <= 0) return null;
                pos += length;
            }
            else if (schema == RecordSchema)
            {
                // version, schema id, int32 length and uint32 CRC of the body (no presence mask: both required), then the body.
                var length = BinaryPrimitives.ReadInt32LittleEndian(buffer[(pos + 5)..]);
                var body = buffer.Slice(pos + 13, length);
                if (body.Length < 10 || body[0] != HybridRowV1 || BinaryPrimitives.ReadInt32LittleEndian(body[1..]) != BatchOperationSchema) return null;
                // operationType: the first nullable fixed column (presence bit 0 of the 1-byte mask, the int32 after it); absent = 0.
                var type = (body[5] & 1) != 0 ? BinaryPrimitives.ReadInt32LittleEndian(body[6..]) : 0;
                operations.Add(Names.TryGetValue(type, out var name) ? name : $"type {type}");
                pos += 13 + length;
            }
            else
            {
                return null;
            }
        }
        return operations;
    }
}
