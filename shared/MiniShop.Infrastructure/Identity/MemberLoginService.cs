using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Catalog;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Infrastructure.Identity;

/// <summary>wx.login code -> member (created on first login) -> session with access and refresh tokens.</summary>
public sealed class MemberLoginService(
    IWeChatLoginExchanger exchanger,
    CosmosDb db,
    SessionStore sessions,
    AccessTokenService tokens,
    IFieldEncryptor encryptor,
    MemberLevelDirectory levels,
    TimeProvider time)
{
    private Container Members => db.Container(CosmosSchema.Members);
    private Container Identities => db.Container(CosmosSchema.Identities);

    public async Task<MemberLoginResult> LoginAsync(string? code, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 128)
            throw ValidationException.For("code", "is required: the code from wx.login().");

        var wx = await exchanger.ExchangeAsync(code.Trim(), ct);
        var (memberId, linkedNow) = await ResolveMemberIdAsync(wx, ct);
        var now = time.GetUtcNow();
        var member = await Members.ReadOrNullAsync<MemberDocument>(memberId, memberId, ct);
        var createdByUs = false;
        MemberDocument current;
        if (member is null)
        {
            var created = new MemberDocument(memberId, wx.AppId, wx.OpenId, wx.UnionId, (await levels.DefaultLevelAsync(ct))?.Id, 0,
                encryptor.Encrypt(wx.SessionKey), now, now, now, Points: PointsAccount.Empty);
            createdByUs = await Members.TryCreateAsync(created, memberId, ct);
            current = createdByUs ? created : (await Members.ReadOrNullAsync<MemberDocument>(memberId, memberId, ct))!.Value;
        }
        else current = member.Value;

        if (!createdByUs)
        {
            // The session key changes with every wx.login; keep only the latest, encrypted.
            var ops = new List<PatchOperation>
            {
                PatchOperation.Set("/sessionKeyEncrypted", encryptor.Encrypt(wx.SessionKey)),
                PatchOperation.Set("/sessionKeyUpdatedAt", now),
                PatchOperation.Set("/lastLoginAt", now),
            };
            if (wx.UnionId is not null && current.UnionId is null) ops.Add(PatchOperation.Set("/unionId", wx.UnionId));
            await Members.PatchItemAsync<MemberDocument>(memberId, new PartitionKey(memberId), ops, cancellationToken: ct);
        }

        if (wx.UnionId is not null)
            await Identities.TryCreateAsync(new IdentityLinkDocument(IdentityLinkDocument.UnionId(wx.UnionId), memberId, now), IdentityLinkDocument.UnionId(wx.UnionId), ct);

        var refresh = await sessions.CreateAsync(SessionSubject.Member, memberId, ct);
        var access = tokens.IssueForMember(memberId, current.LevelId, refresh.Session.Id);
        // Whoever created the identity link made the member: exactly one login reports it as new.
        return new MemberLoginResult(new TokenPair(access.Token, access.ExpiresAt, refresh.Token, refresh.ExpiresAt), memberId, current.LevelId, linkedNow);
    }

    public async Task<MemberLoginResult> RefreshAsync(string? refreshToken, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(refreshToken)) throw ValidationException.For("refreshToken", "is required.");
        var rotated = await sessions.RotateAsync(refreshToken, SessionSubject.Member, ct);
        var member = await Members.ReadOrNullAsync<MemberDocument>(rotated.Session.SubjectId, rotated.Session.SubjectId, ct)
                     ?? throw new UnauthorizedException("The member no longer exists.");
        var access = tokens.IssueForMember(member.Value.Id, member.Value.LevelId, rotated.Session.Id);
        return new MemberLoginResult(new TokenPair(access.Token, access.ExpiresAt, rotated.Token, rotated.ExpiresAt), member.Value.Id, member.Value.LevelId, false);
    }

    /// <summary>The first login for an openid creates the link; concurrent first logins agree on the one that was created.</summary>
    private async Task<(string MemberId, bool Created)> ResolveMemberIdAsync(WeChatLoginIdentity wx, CancellationToken ct)
    {
        var linkId = IdentityLinkDocument.MiniProgramId(wx.AppId, wx.OpenId);
        var existing = await Identities.ReadOrNullAsync<IdentityLinkDocument>(linkId, linkId, ct);
        if (existing is not null) return (existing.Value.MemberId, false);

        var candidate = new IdentityLinkDocument(linkId, Ids.New("mbr"), time.GetUtcNow());
        if (await Identities.TryCreateAsync(candidate, linkId, ct)) return (candidate.MemberId, true);
        var winner = await Identities.ReadOrNullAsync<IdentityLinkDocument>(linkId, linkId, ct)
                     ?? throw new InvalidOperationException("Identity link vanished after a conflict.");
        return (winner.Value.MemberId, false);
    }
}
