using System.Text;

namespace MiniShop.Infrastructure.WeChat.MiniProgram;

/// <summary>Result of <c>code2Session</c>. <see cref="SessionKey"/> is a secret: it never appears in <see cref="ToString"/>.</summary>
public sealed record WeChatSession(string OpenId, string? UnionId, string SessionKey)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("OpenId = ").Append(OpenId)
            .Append(", UnionId = ").Append(UnionId)
            .Append(", SessionKey = ***");
        return true;
    }
}
