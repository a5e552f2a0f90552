using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Addresses;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Identity;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Infrastructure.Addresses;

/// <summary>
/// A member's delivery addresses, in the member's partition of the members container. Reads are point reads or one
/// single-partition query; every write is one transactional batch with the address-book head (see
/// <see cref="AddressBookDocument"/>), retried when a concurrent write got there first. Another member's address is
/// simply not in the partition, so it is 404 like a missing one.
/// </summary>
public sealed partial class AddressBook(CosmosDb db, IFieldEncryptor encryptor, TimeProvider time)
{
    /// <summary>What one write does: the batch (without the head), the new head, and the address to answer with.</summary>
    private sealed record Plan(TransactionalBatch? Batch, AddressBookDocument? Head, AddressDocument Result);

    private Container Members => db.Container(CosmosSchema.Members);

    [GeneratedRegex("^addr_[A-Za-z0-9]{1,64}$")]
    private static partial Regex IdPattern();

    /// <summary>The member's addresses, decrypted: the default first, then the most recently updated.</summary>
    public async Task<IReadOnlyList<Address>> ListAsync(string memberId, CancellationToken ct)
    {
        var docs = await Members.QueryAsync<AddressDocument>(
            new QueryDefinition("SELECT * FROM c WHERE c.type = @type").WithParameter("@type", MemberDocTypes.Address), memberId, ct: ct);
        return AddressRules.ListOrder(docs, d => d.ToStamp()).Select(Decrypt).ToList();
    }

    /// <summary>One of the member's addresses, decrypted; <see cref="NotFoundException"/> when missing or not the member's.</summary>
    public async Task<Address> GetAsync(string memberId, string addressId, CancellationToken ct)
        => Decrypt((await ReadAsync(memberId, addressId, ct)).Value);

    /// <summary>The member's default address, decrypted; null when the member has none.</summary>
    public async Task<Address?> DefaultAsync(string memberId, CancellationToken ct)
    {
        var book = await Members.ReadOrNullAsync<AddressBookDocument>(AddressBookDocument.DocumentId, memberId, ct);
        if (book?.Value.DefaultAddressId is not { } id) return null;
        var doc = await Members.ReadOrNullAsync<AddressDocument>(id, memberId, ct);
        return doc is null ? null : Decrypt(doc.Value);
    }

    /// <summary>Adds an address (at most 20). The first one, or one sent with isDefault true, becomes the default.</summary>
    public async Task<Address> CreateAsync(string memberId, AddressDraft? draft, CancellationToken ct)
    {
        var fields = AddressRules.Validate(draft);
        return await WriteAsync(memberId, book =>
        {
            var ids = book?.AddressIds ?? [];
            if (ids.Count >= AddressRules.MaxPerMember)
                throw new BusinessRuleException("address_limit", $"A member keeps at most {AddressRules.MaxPerMember} addresses; delete one first.")
                {
                    Extensions = new Dictionary<string, object?> { ["limit"] = AddressRules.MaxPerMember },
                };
            var now = time.GetUtcNow();
            var makeDefault = book?.DefaultAddressId is null || draft!.IsDefault == true;
            var doc = Encrypt(Ids.New("addr"), memberId, fields, makeDefault, now, now, 1);
            var batch = Batch(memberId).CreateItem(doc);
            if (makeDefault && book?.DefaultAddressId is { } previous) batch = Unset(batch, previous);
            return Task.FromResult(new Plan(batch, Next(book, memberId, [.. ids, doc.Id], makeDefault ? doc.Id : book!.DefaultAddressId, now), doc));
        }, ct);
    }

    /// <summary>
    /// Replaces an address's content. isDefault true makes it the default; false on the default is refused (422
    /// default_required): set another address as the default instead.
    /// </summary>
    public async Task<Address> UpdateAsync(string memberId, string addressId, AddressDraft? draft, CancellationToken ct)
    {
        var fields = AddressRules.Validate(draft);
        return await WriteAsync(memberId, async book =>
        {
            var current = (await ReadAsync(memberId, addressId, ct)).Value;
            if (draft!.IsDefault == false && current.IsDefault)
                throw new BusinessRuleException("default_required", "This is the default address; set another address as the default instead.")
                {
                    Extensions = new Dictionary<string, object?> { ["field"] = "isDefault" },
                };
            var makeDefault = draft.IsDefault == true && !current.IsDefault;
            var now = time.GetUtcNow();
            var doc = Encrypt(current.Id, memberId, fields, current.IsDefault || makeDefault, current.CreatedAt, now, current.Version + 1);
            var batch = Batch(memberId).ReplaceItem(doc.Id, doc);
            if (makeDefault && book?.DefaultAddressId is { } previous && previous != doc.Id) batch = Unset(batch, previous);
            return new Plan(batch, Next(book, memberId, book?.AddressIds ?? [doc.Id], makeDefault ? doc.Id : book?.DefaultAddressId ?? doc.Id, now), doc);
        }, ct);
    }

    /// <summary>Makes the address the default; the previous default stops being one.</summary>
    public async Task<Address> SetDefaultAsync(string memberId, string addressId, CancellationToken ct)
        => await WriteAsync(memberId, async book =>
        {
            var current = (await ReadAsync(memberId, addressId, ct)).Value;
            if (current.IsDefault && book?.DefaultAddressId == current.Id) return new Plan(null, null, current);
            var doc = current with { IsDefault = true, Version = current.Version + 1 };
            var batch = Batch(memberId).PatchItem(doc.Id, [PatchOperation.Set("/isDefault", true), PatchOperation.Increment("/version", 1)]);
            if (book?.DefaultAddressId is { } previous && previous != doc.Id) batch = Unset(batch, previous);
            return new Plan(batch, Next(book, memberId, book?.AddressIds ?? [doc.Id], doc.Id, time.GetUtcNow()), doc);
        }, ct);

    /// <summary>Deletes an address. Deleting the default makes the most recently updated remaining address the default.</summary>
    public async Task DeleteAsync(string memberId, string addressId, CancellationToken ct)
        => await WriteAsync(memberId, async book =>
        {
            var current = (await ReadAsync(memberId, addressId, ct)).Value;
            var batch = Batch(memberId).DeleteItem(current.Id);
            var defaultId = book?.DefaultAddressId;
            if (current.IsDefault || defaultId == current.Id)
            {
                var others = await Members.QueryAsync<AddressStamp>(
                    new QueryDefinition("SELECT c.id, c.isDefault, c.createdAt, c.updatedAt FROM c WHERE c.type = @type AND c.id != @id")
                        .WithParameter("@type", MemberDocTypes.Address).WithParameter("@id", current.Id), memberId, ct: ct);
                defaultId = AddressRules.NextDefault(others);
                if (defaultId is not null)
                    batch = batch.PatchItem(defaultId, [PatchOperation.Set("/isDefault", true), PatchOperation.Increment("/version", 1)]);
            }
            var ids = (book?.AddressIds ?? []).Where(i => i != current.Id).ToList();
            return new Plan(batch, Next(book, memberId, ids, defaultId, time.GetUtcNow()), current);
        }, ct);

    /// <summary>
    /// Runs one write: reads the head, lets <paramref name="plan"/> build the batch and the new head, adds the head
    /// (create, or replace on its ETag) and executes; a lost race starts again from a fresh read. A plan without a batch
    /// changes nothing.
    /// </summary>
    private async Task<Address> WriteAsync(string memberId, Func<AddressBookDocument?, Task<Plan>> plan, CancellationToken ct)
    {
        for (var attempt = 0; attempt < OptimisticRetry.MaxAttempts; attempt++)
        {
            var stored = await Members.ReadOrNullAsync<AddressBookDocument>(AddressBookDocument.DocumentId, memberId, ct);
            var book = stored?.Value ?? await RebuildHeadAsync(memberId, ct);
            var (batch, head, result) = await plan(book);
            if (batch is null || head is null) return Decrypt(result);
            batch = stored is null
                ? batch.CreateItem(head)
                : batch.ReplaceItem(AddressBookDocument.DocumentId, head, new TransactionalBatchItemRequestOptions { IfMatchEtag = stored.ETag });
            using var response = await batch.ExecuteAsync(ct);
            if (response.IsSuccessStatusCode) return Decrypt(result);
            var status = OptimisticRetry.FailedStatus(response);
            // 404: an address this write touches was deleted by a write that also moved the head; the retry sees it.
            if (!OptimisticRetry.IsLostRace(status) && status != HttpStatusCode.NotFound)
                throw new InvalidOperationException($"Address batch failed: {status} {response.ErrorMessage}");
            await OptimisticRetry.PauseAsync(attempt, ct);
        }
        throw new ConflictException("address_book_busy", "The address book is being changed by another request; try again.");
    }

    /// <summary>
    /// The head when none is stored: null for a member without addresses, otherwise rebuilt from the addresses (a repair
    /// for data written without one). Creating it is guarded like any write: a concurrent creator wins with 409.
    /// </summary>
    private async Task<AddressBookDocument?> RebuildHeadAsync(string memberId, CancellationToken ct)
    {
        var stamps = await Members.QueryAsync<AddressStamp>(
            new QueryDefinition("SELECT c.id, c.isDefault, c.createdAt, c.updatedAt FROM c WHERE c.type = @type").WithParameter("@type", MemberDocTypes.Address),
            memberId, ct: ct);
        if (stamps.Count == 0) return null;
        var ordered = AddressRules.ListOrder(stamps, s => s).ToList();
        return new AddressBookDocument(memberId, ordered.Select(s => s.Id).ToList(), ordered.FirstOrDefault(s => s.IsDefault)?.Id ?? AddressRules.NextDefault(stamps), 0, time.GetUtcNow());
    }

    private async Task<Versioned<AddressDocument>> ReadAsync(string memberId, string addressId, CancellationToken ct)
    {
        if (!IdPattern().IsMatch(addressId)) throw new NotFoundException("Address", addressId);
        return await Members.ReadOrNullAsync<AddressDocument>(addressId, memberId, ct) ?? throw new NotFoundException("Address", addressId);
    }

    private TransactionalBatch Batch(string memberId) => Members.CreateTransactionalBatch(new PartitionKey(memberId));

    private static TransactionalBatch Unset(TransactionalBatch batch, string addressId)
        => batch.PatchItem(addressId, [PatchOperation.Set("/isDefault", false), PatchOperation.Increment("/version", 1)]);

    private static AddressBookDocument Next(AddressBookDocument? book, string memberId, IReadOnlyList<string> ids, string? defaultId, DateTimeOffset now)
        => new(memberId, ids, defaultId, (book?.Version ?? 0) + 1, now);

    private AddressDocument Encrypt(string id, string memberId, AddressFields f, bool isDefault, DateTimeOffset createdAt, DateTimeOffset updatedAt, long version)
        => new(id, memberId, encryptor.Encrypt(f.RecipientName), encryptor.Encrypt(f.Phone), encryptor.Encrypt(f.Detail),
            f.ProvinceCode, f.ProvinceName, f.CityCode, f.CityName, f.DistrictCode, f.DistrictName, f.PostalCode, f.Tag, isDefault, createdAt, updatedAt, version);

    private Address Decrypt(AddressDocument d)
        => new(d.Id, encryptor.Decrypt(d.RecipientNameEncrypted), encryptor.Decrypt(d.PhoneEncrypted), d.ProvinceCode, d.ProvinceName,
            d.CityCode, d.CityName, d.DistrictCode, d.DistrictName, encryptor.Decrypt(d.DetailEncrypted), d.PostalCode, d.Tag, d.IsDefault,
            d.CreatedAt, d.UpdatedAt, d.Version);
}
