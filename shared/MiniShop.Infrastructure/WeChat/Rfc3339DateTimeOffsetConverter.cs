using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniShop.Infrastructure.WeChat;

/// <summary>
/// Writes whole-second RFC 3339 times in China Standard Time (<c>2025-05-20T13:29:35+08:00</c>), the form
/// every WeChat example uses; System.Text.Json's default may add fractions or a <c>Z</c>. Reads any offset.
/// </summary>
internal sealed class Rfc3339DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:sszzz";
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return DateTimeOffset.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToOffset(ChinaStandardTime).ToString(Format, CultureInfo.InvariantCulture));
}
