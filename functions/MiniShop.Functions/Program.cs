using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using MiniShop.Functions;
using MiniShop.Functions.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<FunctionsHttpMiddleware>();
builder.Services.AddMiniShopApp(builder.Configuration);
builder.Build().Run();
