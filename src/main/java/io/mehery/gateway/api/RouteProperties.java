package io.mehery.gateway.api;

/**
 * The exchange properties that the routes in {@code routes/*.yaml} and the beans they call share, named once. A
 * route spells a name out ({@code ${exchangeProperty.outboundDispatch}}); a bean uses the constant;
 * RoutePropertiesTest fails when a route names a property that is not declared here.
 */
public final class RouteProperties {

    /** The tenant whose x-api-key authenticated the request. */
    public static final String TENANT = "meheryTenant";
    /** The request's path, for the envelope. */
    public static final String PATH = "meheryPath";
    /** Problems worth the caller's knowing that did not refuse the request (the envelope's {@code warnings}). */
    public static final String WARNINGS = "meheryWarnings";
    /** A map for the envelope's {@code meta} (a replay's count, say). */
    public static final String META = "meheryMeta";
    /** The {@code Set-Cookie} value a console sign-in or sign-out answers with. */
    public static final String CONSOLE_COOKIE = "meheryConsoleCookie";
    /** A route's answer, kept while the route does more work before answering. */
    public static final String ANSWER = "answer";

    /** The outbound queue's message being sent: an {@code OutboundDispatch}. */
    public static final String DISPATCH = "outboundDispatch";
    /** How many times the broker has handed this dispatch over (JMSXDeliveryCount). */
    public static final String DELIVERY_COUNT = "outboundDeliveryCount";
    /** The JSON pointer(s) at which a provider's answer holds its message id (send-to-provider's parameter). */
    public static final String PROVIDER_MESSAGE_ID_POINTER = "providerMessageIdPointer";
    /** The JSON pointer at which a provider's error answer holds the reason. */
    public static final String PROVIDER_ERROR_POINTER = "providerErrorPointer";
    /** A caption the provider takes only as a text of its own, sent once the file is accepted. */
    public static final String FOLLOWING_TEXT = "followingText";
    /** Set once the provider accepted the message (2xx). */
    public static final String PROVIDER_ACCEPTED = "providerAccepted";
    /** When a provider that limited the rate takes calls again (epoch millis): the dispatch waits until then. */
    public static final String RETRY_AT = "providerRetryAt";
    /** The SMTP endpoint URI of the e-mail channel a mail is sent through. */
    public static final String SMTP_URL = "smtpUrl";
    /** The e-mail channel whose mailbox a polled mail came from. */
    public static final String MAILBOX_CHANNEL = "mailboxChannelId";

    /** The website visitor a widget's request speaks for: a {@code VisitorTokens.Visitor}. */
    public static final String VISITOR = "webchatVisitor";
    /** The address a widget's request came from: visits and messages are limited per address too. */
    public static final String VISITOR_SOURCE = "webchatVisitorSource";

    /** The queues of the taps that want the event being fanned out (a recipient list). */
    public static final String TAP_RECIPIENTS = "tapRecipients";

    /** A delivery's place among its tenant's under way (delivery.WebhookCalls). */
    public static final String DELIVERY_PLACE = "meheryDeliveryPlace";
    /** The callback attempt being made. */
    public static final String CALLBACK_ATTEMPT = "callbackAttempt";
    /** How many callbacks of one contact the consumer has made in a row. */
    public static final String CALLBACK_CHAIN = "meheryCallbackChain";
    /** Where an operational event is sent: {@code mehery.operations.webhook.url} when it was signed. */
    public static final String OPERATIONS_URL = "meheryOperationsUrl";
    /** A dead-letter replay: the deliveries replayed and their orders. */
    public static final String REPLAY = "replay";
    /** The client span of the provider call a route makes (ProviderCallSpans). */
    public static final String PROVIDER_CALL_SPAN = "meheryProviderCallSpan";

    private RouteProperties() {
    }
}
