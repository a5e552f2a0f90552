// LOCAL BUILDS ONLY. Compiled when the MSBuild property UseRealServiceBusExtension is not 'true' (see the .csproj).
//
// The package mirror does not serve Microsoft.Azure.Functions.Worker.Extensions.ServiceBus. This attribute has the
// same namespace, name, constructors and properties as the real one, so the Service Bus triggered functions compile
// unchanged and the worker SDK's metadata generator writes the same "serviceBusTrigger" bindings into
// functions.metadata (a test checks them). Two traps (docs/erp-wms.md):
//  - IsBatched must carry [DefaultValue(false)] from Microsoft.Azure.Functions.Worker.Extensions.Abstractions (not
//    System.ComponentModel), or the generator fails with CS8785 and the app silently loses all its metadata;
//  - no [assembly: ExtensionInformation(...)]: it would make the build restore the host-side extension, which the
//    mirror does not serve either (NU1101).
// The output of a local build is therefore not deployable: deployment builds pass -p:UseRealServiceBusExtension=true,
// which removes this folder and references the real package (README: "Local build versus deployment build").
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker
{
    public sealed class ServiceBusTriggerAttribute : TriggerBindingAttribute, ISupportCardinality
    {
        private bool _isBatched;

        /// <summary>Binds to a queue.</summary>
        public ServiceBusTriggerAttribute(string queueName)
        {
            QueueName = queueName;
        }

        /// <summary>Binds to a subscription of a topic.</summary>
        public ServiceBusTriggerAttribute(string topicName, string subscriptionName)
        {
            TopicName = topicName;
            SubscriptionName = subscriptionName;
        }

        /// <summary>The app setting (prefix) holding the connection: "ServiceBus" reads ServiceBus__fullyQualifiedNamespace.</summary>
        public string? Connection { get; set; }

        public string? QueueName { get; }

        public string? TopicName { get; }

        public string? SubscriptionName { get; }

        public bool IsSessionsEnabled { get; set; }

        /// <summary>Whether the host completes the message when the function returns (false: the function settles it).</summary>
        public bool AutoCompleteMessages { get; set; } = true;

        [DefaultValue(false)]
        public bool IsBatched
        {
            get => _isBatched;
            set => _isBatched = value;
        }

        Cardinality ISupportCardinality.Cardinality
        {
            get => _isBatched ? Cardinality.Many : Cardinality.One;
            set => _isBatched = value == Cardinality.Many;
        }
    }
}
