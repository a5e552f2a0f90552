using System.Text.Json;
using Microsoft.Azure.Cosmos;
using MiniShop.Domain.Addresses;
using MiniShop.Domain.Common;
using MiniShop.Infrastructure.Addresses;
using MiniShop.Infrastructure.Cosmos;
using MiniShop.Infrastructure.Security;

namespace MiniShop.Tests.Integration.Addresses;

public class AddressBookTests(Services services) : IClassFixture<Services>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AddressBook Book => services.Get<AddressBook>();

    private static string NewMember() => Ids.New("mbr");

    private static AddressDraft Draft(string name = "李四", string phone = "13912345678", bool? isDefault = null, string detail = "西湖区文三路 90 号")
        => new(name, phone, "330000", "浙江省", "330100", "杭州市", "330106", "西湖区", detail, "310012", AddressTag.Home, isDefault);

    [Fact]
    public async Task Personal_fields_are_stored_encrypted_and_come_back_decrypted_to_the_owner()
    {
        var member = NewMember();
        var created = await Book.CreateAsync(member, Draft("王小明", "13712345678", detail: "文三路 90 号 3 单元"), Ct);

        var raw = (await services.Get<CosmosDb>().Container(CosmosSchema.Members).ReadItemAsync<JsonElement>(created.Id, new PartitionKey(member), cancellationToken: Ct)).Resource;
        var text = raw.GetRawText();
        Assert.DoesNotContain("13712345678", text);
        Assert.DoesNotContain("王小明", text);
        Assert.DoesNotContain("文三路", text);
        Assert.Equal("address", raw.GetProperty("type").GetString());
        Assert.Equal(member, raw.GetProperty("memberId").GetString());
        Assert.Equal("13712345678", services.Get<IFieldEncryptor>().Decrypt(raw.GetProperty("phoneEncrypted").GetString()!));
        Assert.Equal("330000", raw.GetProperty("provinceCode").GetString());

        var read = await Book.GetAsync(member, created.Id, Ct);
        Assert.Equal(("王小明", "13712345678", "文三路 90 号 3 单元"), (read.RecipientName, read.Phone, read.Detail));
        Assert.Equal(read, Assert.Single(await Book.ListAsync(member, Ct)));
    }

    [Fact]
    public async Task The_first_address_is_the_default_and_setting_another_moves_it()
    {
        var member = NewMember();
        Assert.Null(await Book.DefaultAsync(member, Ct));

        var first = await Book.CreateAsync(member, Draft(isDefault: false), Ct);
        var second = await Book.CreateAsync(member, Draft(), Ct);
        Assert.True(first.IsDefault);
        Assert.False(second.IsDefault);
        Assert.Equal(first.Id, (await Book.DefaultAsync(member, Ct))!.Id);

        var moved = await Book.SetDefaultAsync(member, second.Id, Ct);
        Assert.True(moved.IsDefault);
        var all = await Book.ListAsync(member, Ct);
        Assert.Equal([second.Id, first.Id], all.Select(a => a.Id));
        Assert.Single(all, a => a.IsDefault);

        var third = await Book.CreateAsync(member, Draft(isDefault: true), Ct);
        Assert.Equal(third.Id, (await Book.DefaultAsync(member, Ct))!.Id);
        Assert.Single(await Book.ListAsync(member, Ct), a => a.IsDefault);
    }

    [Fact]
    public async Task Deleting_the_default_promotes_the_most_recently_updated_and_the_last_leaves_none()
    {
        var member = NewMember();
        var a = await Book.CreateAsync(member, Draft(), Ct);
        var b = await Book.CreateAsync(member, Draft(), Ct);
        var c = await Book.CreateAsync(member, Draft(), Ct);
        await Book.UpdateAsync(member, b.Id, Draft(detail: "改过的地址"), Ct); // b is now the most recently updated

        await Book.DeleteAsync(member, a.Id, Ct);
        var promoted = await Book.DefaultAsync(member, Ct);
        Assert.Equal(b.Id, promoted!.Id);
        Assert.Equal("改过的地址", promoted.Detail);

        await Book.DeleteAsync(member, c.Id, Ct); // not the default: the default stays
        Assert.Equal(b.Id, (await Book.DefaultAsync(member, Ct))!.Id);
        await Book.DeleteAsync(member, b.Id, Ct);
        Assert.Null(await Book.DefaultAsync(member, Ct));
        Assert.Empty(await Book.ListAsync(member, Ct));

        var fresh = await Book.CreateAsync(member, Draft(), Ct);
        Assert.True(fresh.IsDefault);
    }

    [Fact]
    public async Task The_default_cannot_be_unset_by_an_update()
    {
        var member = NewMember();
        var a = await Book.CreateAsync(member, Draft(), Ct);

        var e = await Assert.ThrowsAsync<BusinessRuleException>(() => Book.UpdateAsync(member, a.Id, Draft(isDefault: false), Ct));
        Assert.Equal("default_required", e.Code);
        var updated = await Book.UpdateAsync(member, a.Id, Draft(name: "新名字"), Ct);
        Assert.True(updated.IsDefault);
        Assert.Equal(2, updated.Version);
    }

    [Fact]
    public async Task At_most_20_addresses_even_when_created_concurrently()
    {
        var member = NewMember();
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            try { return await Book.CreateAsync(member, Draft(detail: $"第 {i} 号"), Ct); }
            catch (BusinessRuleException e) when (e.Code == "address_limit") { return null; }
        }));

        Assert.Equal(AddressRules.MaxPerMember, results.Count(r => r is not null));
        var all = await Book.ListAsync(member, Ct);
        Assert.Equal(AddressRules.MaxPerMember, all.Count);
        Assert.Single(all, a => a.IsDefault);
    }

    [Fact]
    public async Task Concurrent_default_changes_leave_exactly_one_default()
    {
        var member = NewMember();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await Book.CreateAsync(member, Draft(), Ct)).Id);

        await Task.WhenAll(ids.Concat(ids).Select(id => Book.SetDefaultAsync(member, id, Ct)));

        var all = await Book.ListAsync(member, Ct);
        var theDefault = Assert.Single(all, a => a.IsDefault);
        Assert.Equal(theDefault.Id, (await Book.DefaultAsync(member, Ct))!.Id);
    }

    [Fact]
    public async Task Another_members_address_is_not_found()
    {
        var owner = NewMember();
        var address = await Book.CreateAsync(owner, Draft(), Ct);
        var other = NewMember();

        await Assert.ThrowsAsync<NotFoundException>(() => Book.GetAsync(other, address.Id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Book.UpdateAsync(other, address.Id, Draft(), Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Book.DeleteAsync(other, address.Id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Book.SetDefaultAsync(other, address.Id, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Book.GetAsync(owner, "not-an-address-id", Ct));
        Assert.Equal(address.Id, (await Book.GetAsync(owner, address.Id, Ct)).Id);
    }
}
