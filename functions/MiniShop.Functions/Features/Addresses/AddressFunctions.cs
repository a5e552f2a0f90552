using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using MiniShop.Domain.Addresses;
using MiniShop.Functions.Http;
using MiniShop.Infrastructure.Addresses;

namespace MiniShop.Functions.Features.Addresses;

/// <summary>The member's address book. Another member's address id is 404, like a missing one.</summary>
public sealed class AddressFunctions(AddressBook addresses)
{
    [Function(nameof(ListAddresses))]
    [ApiOperation("Addresses", "The member's addresses: the default first, then the most recently updated", Auth = ApiAuth.Member,
        Response = typeof(IReadOnlyList<Address>))]
    public async Task<IActionResult> ListAddresses([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "addresses")] HttpRequest req)
        => Api.Ok(await addresses.ListAsync(req.Caller().RequireMember(), req.HttpContext.RequestAborted));

    [Function(nameof(CreateAddress))]
    [ApiOperation("Addresses", "Add an address (at most 20); the first one becomes the default", Auth = ApiAuth.Member,
        Request = typeof(AddressDraft), Response = typeof(Address), SuccessStatus = 201)]
    public async Task<IActionResult> CreateAddress([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "addresses")] HttpRequest req)
    {
        var memberId = req.Caller().RequireMember();
        var address = await addresses.CreateAsync(memberId, await req.ReadJsonAsync<AddressDraft>(), req.HttpContext.RequestAborted);
        return Api.Created(address, $"/api/addresses/{address.Id}");
    }

    [Function(nameof(GetAddress))]
    [ApiOperation("Addresses", "One of the member's addresses", Auth = ApiAuth.Member, Response = typeof(Address))]
    public async Task<IActionResult> GetAddress([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "addresses/{id}")] HttpRequest req, string id)
        => Api.Ok(await addresses.GetAsync(req.Caller().RequireMember(), id, req.HttpContext.RequestAborted));

    [Function(nameof(UpdateAddress))]
    [ApiOperation("Addresses", "Replace an address; isDefault true makes it the default", Auth = ApiAuth.Member,
        Request = typeof(AddressDraft), Response = typeof(Address))]
    public async Task<IActionResult> UpdateAddress([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "addresses/{id}")] HttpRequest req, string id)
    {
        var memberId = req.Caller().RequireMember();
        return Api.Ok(await addresses.UpdateAsync(memberId, id, await req.ReadJsonAsync<AddressDraft>(), req.HttpContext.RequestAborted));
    }

    [Function(nameof(DeleteAddress))]
    [ApiOperation("Addresses", "Delete an address; deleting the default makes the most recently updated one the default", Auth = ApiAuth.Member,
        SuccessStatus = 204)]
    public async Task<IActionResult> DeleteAddress([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "addresses/{id}")] HttpRequest req, string id)
    {
        await addresses.DeleteAsync(req.Caller().RequireMember(), id, req.HttpContext.RequestAborted);
        return Api.NoContent();
    }

    [Function(nameof(SetDefaultAddress))]
    [ApiOperation("Addresses", "Make an address the default", Auth = ApiAuth.Member, Response = typeof(Address))]
    public async Task<IActionResult> SetDefaultAddress([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "addresses/{id}/default")] HttpRequest req, string id)
        => Api.Ok(await addresses.SetDefaultAsync(req.Caller().RequireMember(), id, req.HttpContext.RequestAborted));
}
