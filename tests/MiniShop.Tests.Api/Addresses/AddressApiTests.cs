using System.Net.Http.Json;
using System.Text.Json;

namespace MiniShop.Tests.Api.Addresses;

public class AddressApiTests(ApiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<string> NewMemberAsync() => host.MemberTokenAsync($"addr-{Guid.NewGuid():N}");

    private static object Body(string name = "张三", string phone = "13800138000", string detail = "科技园南区 1 栋 101", bool? isDefault = null, string tag = "home") => new
    {
        recipientName = name, phone, provinceCode = "440000", provinceName = "广东省", cityCode = "440300", cityName = "深圳市",
        districtCode = "440305", districtName = "南山区", detail, postalCode = "518057", tag, isDefault,
    };

    private async Task<JsonElement> CreateAsync(string token, object? body = null)
        => await Json.ReadAsync(await host.Client(token).PostAsJsonAsync("addresses", body ?? Body(), Ct), 201);

    [Fact]
    public async Task Every_endpoint_needs_a_member()
    {
        var anonymous = host.Client();
        await Json.ProblemAsync(await anonymous.GetAsync("addresses", Ct), 401);
        await Json.ProblemAsync(await anonymous.PostAsJsonAsync("addresses", Body(), Ct), 401);
        await Json.ProblemAsync(await anonymous.GetAsync("addresses/addr_x", Ct), 401);
        await Json.ProblemAsync(await anonymous.PutAsJsonAsync("addresses/addr_x", Body(), Ct), 401);
        await Json.ProblemAsync(await anonymous.DeleteAsync("addresses/addr_x", Ct), 401);
        await Json.ProblemAsync(await anonymous.PostAsync("addresses/addr_x/default", null, Ct), 401);
        await Json.ProblemAsync(await host.Client("forged.token.value").GetAsync("addresses", Ct), 401);
        await Json.ProblemAsync(await host.Client(await host.AdminTokenAsync()).GetAsync("addresses", Ct), 401);
    }

    [Fact]
    public async Task Create_read_update_default_and_delete_round_trip()
    {
        var token = await NewMemberAsync();
        var client = host.Client(token);

        var response = await client.PostAsJsonAsync("addresses", Body(isDefault: false), Ct);
        var first = await Json.ReadAsync(response, 201);
        var firstId = first.GetProperty("id").GetString()!;
        Assert.Equal($"/api/addresses/{firstId}", response.Headers.Location?.ToString());
        Assert.True(first.GetProperty("isDefault").GetBoolean()); // the first is the default whatever is sent
        Assert.Equal("13800138000", first.GetProperty("phone").GetString());
        Assert.Equal("440000", first.GetProperty("provinceCode").GetString());
        Assert.Equal("home", first.GetProperty("tag").GetString());
        Assert.Equal(1, first.GetProperty("version").GetInt64());

        var second = await CreateAsync(token, Body("李四", "13912345678", "深南大道 1 号", tag: "company"));
        var secondId = second.GetProperty("id").GetString()!;
        Assert.False(second.GetProperty("isDefault").GetBoolean());

        var got = await Json.ReadAsync(await client.GetAsync($"addresses/{secondId}", Ct), 200);
        Assert.Equal(("李四", "深南大道 1 号"), (got.GetProperty("recipientName").GetString(), got.GetProperty("detail").GetString()));

        var updated = await Json.ReadAsync(await client.PutAsJsonAsync($"addresses/{secondId}", Body("李四四", "13912345678", "深南大道 2 号"), Ct), 200);
        Assert.Equal(("李四四", 2L), (updated.GetProperty("recipientName").GetString(), updated.GetProperty("version").GetInt64()));

        var made = await Json.ReadAsync(await client.PostAsync($"addresses/{secondId}/default", null, Ct), 200);
        Assert.True(made.GetProperty("isDefault").GetBoolean());
        var list = await Json.ReadAsync(await client.GetAsync("addresses", Ct), 200);
        Assert.Equal([secondId, firstId], list.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal([true, false], list.EnumerateArray().Select(a => a.GetProperty("isDefault").GetBoolean()));

        // Deleting the default promotes the remaining address.
        Assert.Equal(204, (int)(await client.DeleteAsync($"addresses/{secondId}", Ct)).StatusCode);
        var after = await Json.ReadAsync(await client.GetAsync("addresses", Ct), 200);
        var remaining = Assert.Single(after.EnumerateArray());
        Assert.Equal(firstId, remaining.GetProperty("id").GetString());
        Assert.True(remaining.GetProperty("isDefault").GetBoolean());
        await Json.ProblemAsync(await client.GetAsync($"addresses/{secondId}", Ct), 404);
        await Json.ProblemAsync(await client.DeleteAsync($"addresses/{secondId}", Ct), 404);
    }

    [Fact]
    public async Task Invalid_fields_are_named()
    {
        var client = host.Client(await NewMemberAsync());
        var bad = new { recipientName = "", phone = "12345", provinceCode = "990000", provinceName = "广东省", cityCode = "440300", cityName = "深圳市", districtCode = "44030", districtName = "", detail = "", postalCode = "51", tag = "home" };

        var problem = await Json.ProblemAsync(await client.PostAsJsonAsync("addresses", bad, Ct), 400,
            "recipientName", "phone", "provinceCode", "districtCode", "districtName", "detail", "postalCode");
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        await Json.ProblemAsync(await client.PostAsJsonAsync("addresses", new { recipientName = "张三", tag = "villa" }, Ct), 400, "tag");
        await Json.ProblemAsync(await client.PostAsync("addresses", new StringContent("", System.Text.Encoding.UTF8, "application/json"), Ct), 400, "body");
        Assert.Empty((await Json.ReadAsync(await client.GetAsync("addresses", Ct), 200)).EnumerateArray());

        var created = await CreateAsync(await NewMemberAsync());
        Assert.Equal("13800138000", created.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task Another_members_address_is_404_and_never_shows_its_data()
    {
        var owner = await NewMemberAsync();
        var address = await CreateAsync(owner, Body("机密姓名", "13700001111", "机密地址 8 号"));
        var id = address.GetProperty("id").GetString();
        var other = host.Client(await NewMemberAsync());

        foreach (var response in new[]
        {
            await other.GetAsync($"addresses/{id}", Ct),
            await other.PutAsJsonAsync($"addresses/{id}", Body(), Ct),
            await other.DeleteAsync($"addresses/{id}", Ct),
            await other.PostAsync($"addresses/{id}/default", null, Ct),
        })
        {
            var problem = await Json.ProblemAsync(response, 404);
            Assert.DoesNotContain("机密", problem.ToString());
            Assert.DoesNotContain("13700001111", problem.ToString());
        }
        Assert.Empty((await Json.ReadAsync(await other.GetAsync("addresses", Ct), 200)).EnumerateArray());
        var mine = await Json.ReadAsync(await host.Client(owner).GetAsync($"addresses/{id}", Ct), 200);
        Assert.Equal("机密姓名", mine.GetProperty("recipientName").GetString());
    }

    [Fact]
    public async Task At_most_20_and_the_default_cannot_be_switched_off()
    {
        var token = await NewMemberAsync();
        var client = host.Client(token);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
            ids.Add((await CreateAsync(token, Body(detail: $"第 {i} 号"))).GetProperty("id").GetString()!);
        var firstId = ids[0];

        var full = await Json.ProblemAsync(await client.PostAsJsonAsync("addresses", Body(), Ct), 422);
        Assert.Equal("address_limit", full.GetProperty("code").GetString());
        Assert.Equal(20, full.GetProperty("limit").GetInt32());

        var off = await Json.ProblemAsync(await client.PutAsJsonAsync($"addresses/{firstId}", Body(isDefault: false), Ct), 422);
        Assert.Equal("default_required", off.GetProperty("code").GetString());
        Assert.Equal("isDefault", off.GetProperty("field").GetString());
    }
}
