// LOCAL BUILDS ONLY (UseRealServiceBusExtension != 'true'); see ServiceBusTriggerAttribute.cs beside this file.
//
// Stands in for the real extension's ServiceBusMessageActions (settle a message from a function: complete, abandon,
// dead-letter with a reason) with the same namespace, protected constructor and virtual members, so the functions
// compile unchanged and tests can mock it. It is never bound locally (the in-process host runs no Service Bus
// trigger); every member throws if called for real.
using Azure.Messaging.ServiceBus;

namespace Microsoft.Azure.Functions.Worker
{
    public class ServiceBusMessageActions
    {
        /// <summary>For mocking, like the real type's protected constructor.</summary>
        protected ServiceBusMessageActions()
        {
        }

        public virtual Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
            => throw NotBound();

        public virtual Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default,
            CancellationToken cancellationToken = default)
            => throw NotBound();

        public virtual Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, Dictionary<string, object>? propertiesToModify = default,
            string? deadLetterReason = default, string? deadLetterErrorDescription = default, CancellationToken cancellationToken = default)
            => throw NotBound();

        public virtual Task DeferMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default,
            CancellationToken cancellationToken = default)
            => throw NotBound();

        public virtual Task RenewMessageLockAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
            => throw NotBound();

        private static NotSupportedException NotBound()
            => new("Local build: Service Bus message actions exist only with the real extension (-p:UseRealServiceBusExtension=true).");
    }
}
