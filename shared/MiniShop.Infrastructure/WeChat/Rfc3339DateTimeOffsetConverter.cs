using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniShop.Infrastructure.WeChat;

/// <summary>
/// Writes whole-second RFC 3339 times with an explicit offset (<c>2024-05-20T13:29:35+08:00</c>):
/// WeChat rejects some of the fractional forms System.Text.Json would produce.
/// </summary>
internal sealed class Rfc3339DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:sszzz";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return DateTimeOffset.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(Format, CultureInfo.InvariantCulture));
}
