using System.Text;
using MiniShop.Infrastructure.WeChat.Pay;

namespace MiniShop.Tests.Unit.WeChat.Pay;

public class WeChatPaySignatureMessageTests
{
    [Fact]
    public void Request_message_matches_the_documented_example()
    {
        // From WeChat Pay's signature guide: GET /v3/certificates at 1554208460 with that nonce.
        var message = WeChatPaySignatureMessage.ForRequest(
            "GET", "/v3/certificates", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", "");

        Assert.Equal("GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n", Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void Request_message_keeps_the_body_bytes_and_ends_with_a_newline()
    {
        var message = WeChatPaySignatureMessage.ForRequest("POST", "/v3/pay/transactions/jsapi?x=1", "1", "N", """{"a":"中文"}""");

        Assert.Equal("POST\n/v3/pay/transactions/jsapi?x=1\n1\nN\n{\"a\":\"中文\"}\n", Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void Response_message_is_timestamp_nonce_body()
    {
        Assert.Equal("1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n{}\n",
            Encoding.UTF8.GetString(WeChatPaySignatureMessage.ForResponse("1554209980", "c5ac7061fccab6bf3e254dcf98995b8c", "{}")));
    }

    [Fact]
    public void Jsapi_message_is_appid_timestamp_nonce_package()
    {
        Assert.Equal("wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n",
            Encoding.UTF8.GetString(WeChatPaySignatureMessage.ForJsapiPayment(
                "wx8888888888888888", "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "prepay_id=wx201410272009395522657a690389285100")));
    }
}
