using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniShop.Infrastructure.WeChat;

/// <summary>JSON settings shared by the WeChat clients: snake_case names, nulls omitted, RFC 3339 times.</summary>
internal static class WeChatJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new Rfc3339DateTimeOffsetConverter() },

        // Server-to-server JSON, never embedded in HTML: send Chinese text as UTF-8, as WeChat itself does.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>UTF-8 JSON with a Content-Length, so the bytes sent are exactly the bytes signed.</summary>
    public static StringContent Content<T>(T value) => new(Serialize(value), Encoding.UTF8, "application/json");

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
}
