using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MiniShop.Domain.Identity;

namespace MiniShop.Infrastructure.Security;

public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>Short-lived HS256 access tokens. They carry who the caller is, never personal data.</summary>
public sealed class AccessTokenService
{
    private const string KindClaim = "knd";
    private const string SessionClaim = "sid";
    private const string LevelClaim = "lvl";
    private const string ShopClaim = "shop";
    private const string RoleClaim = "role";

    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly SymmetricSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };

    public AccessTokenService(IOptions<AuthOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        byte[] key;
        try { key = Convert.FromBase64String(_options.JwtSigningKey); }
        catch (FormatException) { throw new InvalidOperationException("Auth:JwtSigningKey is not base64."); }
        if (key.Length < 32) throw new InvalidOperationException("Auth:JwtSigningKey must be at least 32 bytes.");
        _key = new SymmetricSecurityKey(key);
    }

    public AccessToken IssueForMember(string memberId, string? levelId, string sessionId)
    {
        var claims = new Dictionary<string, object> { [KindClaim] = "member", [SessionClaim] = sessionId };
        if (levelId is not null) claims[LevelClaim] = levelId;
        return Issue(memberId, claims);
    }

    public AccessToken IssueForAdmin(string operatorId, IReadOnlyCollection<string> roles, IReadOnlyCollection<string> shopIds, string sessionId)
        => Issue(operatorId, new Dictionary<string, object>
        {
            [KindClaim] = "admin", [SessionClaim] = sessionId, [RoleClaim] = roles.ToArray(), [ShopClaim] = shopIds.ToArray(),
        });

    private AccessToken Issue(string subject, Dictionary<string, object> claims)
    {
        var now = _time.GetUtcNow();
        var expires = now.AddMinutes(_options.AccessTokenMinutes);
        claims[JwtRegisteredClaimNames.Sub] = subject;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return new AccessToken(token, expires);
    }

    /// <summary>The caller a bearer token proves, or an anonymous caller that says what was wrong with it.</summary>
    public async Task<Caller> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (nbf, exp, _, _) => exp is { } e && e > _time.GetUtcNow().UtcDateTime.AddSeconds(-30) && (nbf is null || nbf <= _time.GetUtcNow().UtcDateTime.AddSeconds(30)),
        });
        if (!result.IsValid)
            return Caller.AnonymousBecause(result.Exception is SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException ? "it has expired" : "it could not be verified");

        var identity = result.ClaimsIdentity;
        var subject = identity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        var session = identity.FindFirst(SessionClaim)?.Value;
        if (subject is null || session is null) return Caller.AnonymousBecause("it is incomplete");
        return identity.FindFirst(KindClaim)?.Value switch
        {
            "member" => Caller.Member(subject, identity.FindFirst(LevelClaim)?.Value, session),
            "admin" => Caller.Admin(subject, Values(identity, RoleClaim), Values(identity, ShopClaim), session),
            _ => Caller.AnonymousBecause("it is of an unknown kind"),
        };
    }

    private static IEnumerable<string> Values(ClaimsIdentity identity, string type) => identity.FindAll(type).Select(c => c.Value);
}
