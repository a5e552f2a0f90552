using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Security;
using MiniShop.Infrastructure.WeChat.MiniProgram;
using Moq;

namespace MiniShop.Tests.Unit.Identity;

public class LoginExchangerTests
{
    private static WeChatCode2SessionExchanger Exchanger(Mock<IWeChatMiniProgramClient> client)
        => new(client.Object, Options.Create(new WeChatMiniProgramOptions { AppId = "wx-app", AppSecret = "s" }), NullLogger<WeChatCode2SessionExchanger>.Instance);

    [Fact]
    public async Task A_good_code_yields_the_openid_unionid_and_session_key()
    {
        var client = new Mock<IWeChatMiniProgramClient>();
        client.Setup(c => c.Code2SessionAsync("code-1", It.IsAny<CancellationToken>())).ReturnsAsync(new WeChatSession("o-1", "u-1", "key"));

        var identity = await Exchanger(client).ExchangeAsync("code-1", CancellationToken.None);
        Assert.Equal(new WeChatLoginIdentity("wx-app", "o-1", "u-1", "key"), identity);
    }

    [Theory]
    [InlineData(40029, typeof(ValidationException), 400)]
    [InlineData(40163, typeof(ValidationException), 400)]
    [InlineData(40226, typeof(ForbiddenException), 403)]
    [InlineData(45011, typeof(UpstreamException), 503)]
    [InlineData(-1, typeof(UpstreamException), 503)]
    [InlineData(40013, typeof(UpstreamException), 502)]
    public async Task WeChat_error_codes_become_problems_a_client_can_act_on(int errcode, Type expected, int status)
    {
        var client = new Mock<IWeChatMiniProgramClient>();
        client.Setup(c => c.Code2SessionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new WeChatApiException(errcode, "err"));

        var e = await Assert.ThrowsAnyAsync<ProblemException>(() => Exchanger(client).ExchangeAsync("c", CancellationToken.None));
        Assert.IsType(expected, e);
        Assert.Equal(status, e.Status);
    }

    [Fact]
    public async Task Dev_codes_never_reach_wechat_and_only_work_when_switched_on()
    {
        var inner = new Mock<IWeChatLoginExchanger>(MockBehavior.Strict);
        var on = new DevLoginExchanger(inner.Object, Options.Create(new AuthOptions { DevLoginEnabled = true }), "wx-app");
        Assert.Equal("dev-openid-ann", (await on.ExchangeAsync("dev-ann", CancellationToken.None)).OpenId);

        inner.Setup(i => i.ExchangeAsync("dev-ann", It.IsAny<CancellationToken>())).ThrowsAsync(ValidationException.For("code", "invalid"));
        var off = new DevLoginExchanger(inner.Object, Options.Create(new AuthOptions { DevLoginEnabled = false }), "wx-app");
        await Assert.ThrowsAsync<ValidationException>(() => off.ExchangeAsync("dev-ann", CancellationToken.None));
    }
}
