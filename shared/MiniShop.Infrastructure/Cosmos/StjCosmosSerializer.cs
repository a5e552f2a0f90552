using System.Text.Json;
using Microsoft.Azure.Cosmos;
using MiniShop.Infrastructure.Json;

namespace MiniShop.Infrastructure.Cosmos;

/// <summary>Documents use the same System.Text.Json shape as the API (the SDK default is Newtonsoft).</summary>
public sealed class StjCosmosSerializer(JsonSerializerOptions? options = null) : CosmosLinqSerializer
{
    private readonly JsonSerializerOptions _options = options ?? JsonDefaults.Options;

    public override T FromStream<T>(Stream stream)
    {
        using (stream)
        {
            if (typeof(Stream).IsAssignableFrom(typeof(T))) return (T)(object)stream;
            if (stream.CanSeek && stream.Length == 0) return default!;
            return JsonSerializer.Deserialize<T>(stream, _options)!;
        }
    }

    public override Stream ToStream<T>(T input)
    {
        var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, input, input?.GetType() ?? typeof(T), _options);
        stream.Position = 0;
        return stream;
    }

    public override string SerializeMemberName(System.Reflection.MemberInfo memberInfo)
        => _options.PropertyNamingPolicy?.ConvertName(memberInfo.Name) ?? memberInfo.Name;
}
