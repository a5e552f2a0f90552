using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniShop.Infrastructure.Sync;
using MiniShop.Tests.Support;

namespace MiniShop.Tests.Unit.Sync;

public class PartnerClientTests
{
    private readonly StubPartner _erp = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    private ErpClient Client(string? baseUrl = "https://erp.example.com/base/", string? secret = "s3cret")
        => new(new HttpClient(_erp), Options.Create(new ErpOptions { BaseUrl = baseUrl, HmacSecret = secret }), _time, NullLogger<ErpClient>.Instance);

    private static PartnerEvent Envelope(string id = "evt:order.paid:ord_1:paid")
        => new(id, "order.paid", DateTimeOffset.Parse("2026-01-01T00:00:00Z"), "shop-demo", new { orderId = "ord_1" });

    [Fact]
    public async Task Requests_are_json_posts_signed_over_timestamp_method_path_and_body_with_the_event_id_as_idempotency_key()
    {
        var result = await Client().SendAsync(Envelope(), TestContext.Current.CancellationToken);

        Assert.True(result.Accepted);
        var r = Assert.Single(_erp.Requests);
        Assert.Equal(HttpMethod.Post, r.Method);
        Assert.Equal("https://erp.example.com/base/minishop/events", r.Uri.ToString());
        Assert.StartsWith("application/json", r.Header("Content-Type"));
        Assert.Equal("evt:order.paid:ord_1:paid", r.Header("Idempotency-Key"));
        Assert.Equal("1767225600", r.Header("X-MiniShop-Timestamp"));
        Assert.True(PartnerSignature.VerifyOutbound("s3cret", "1767225600", "POST", "/base/minishop/events", r.Body, r.Header("X-MiniShop-Signature")));
        using var body = JsonDocument.Parse(r.Body);
        Assert.Equal("ord_1", body.RootElement.GetProperty("data").GetProperty("orderId").GetString());
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task Client_errors_other_than_408_and_429_are_permanent_rejections(HttpStatusCode status)
    {
        _erp.Respond = _ => status;

        var result = await Client().SendAsync(Envelope(), TestContext.Current.CancellationToken);

        Assert.False(result.Accepted);
        Assert.Equal((int)status, result.Status);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Timeouts_throttling_and_server_errors_are_transient(HttpStatusCode status)
    {
        _erp.Respond = _ => status;

        await Assert.ThrowsAsync<TransientDeliveryException>(() => Client().SendAsync(Envelope(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Network_failures_are_transient_and_a_missing_secret_waits_instead_of_sending_unsigned()
    {
        _erp.Respond = _ => throw new HttpRequestException("connection refused");

        await Assert.ThrowsAsync<TransientDeliveryException>(() => Client().SendAsync(Envelope(), TestContext.Current.CancellationToken));
        var before = _erp.Requests.Count;
        await Assert.ThrowsAsync<TransientDeliveryException>(() => Client(secret: null).SendAsync(Envelope(), TestContext.Current.CancellationToken));
        Assert.Equal(before, _erp.Requests.Count);
        Assert.False(Client(baseUrl: "").IsConfigured);
    }
}
