package io.mehery.gateway.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.model.Tags;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;

/** The parts of a message's tags on the texts the issue names, and on the cases each part is careful about. */
class TagPartsTest {

    private static final Languages LANGUAGES = new Languages(List.of("en", "fr", "de", "es", "it", "pt", "nl", "tr"));
    private static final Sentiments SENTIMENTS = new Sentiments();
    private static final Places PLACES = new Places();
    private static final Entities ENTITIES = new Entities();

    @Test
    void aDisappointedFrenchCustomerIsFrenchAndNegative() {
        String text = "Je voudrais annuler ma commande, c'est vraiment décevant";
        assertThat(LANGUAGES.of(text)).containsExactly("fr");
        Sentiments.Sentiment sentiment = SENTIMENTS.of(text);
        assertThat(sentiment.label()).isEqualTo("negative");
        assertThat(sentiment.score()).isNegative();
    }

    @Test
    void aTravellerNamesCitiesTheirCountriesAndAPerson() {
        String text = "Flying from Lisbon to Berlin with Lufthansa, thanks Maria!";
        assertThat(LANGUAGES.of(text)).containsExactly("en");
        Places.Found places = PLACES.in(text);
        assertThat(places.cities()).containsExactly("Lisbon", "Berlin");
        assertThat(places.countries()).containsExactly("Portugal", "Germany");
        assertThat(ENTITIES.in(text).persons()).containsExactly("Maria");
        assertThat(SENTIMENTS.of(text).label()).isEqualTo("positive");
    }

    @Test
    void aPlaceThatIsAlsoAWordNeedsItsCapitalAndAWordLeadingToIt() {
        assertThat(PLACES.in("That was nice, thank you").cities()).isEmpty();
        assertThat(PLACES.in("Nice service as always").cities()).isEmpty();
        assertThat(PLACES.in("I land in Nice tomorrow").cities()).containsExactly("Nice");
        assertThat(PLACES.in("Ask Jordan about it").countries()).isEmpty();
        assertThat(PLACES.in("Je pars à Lisbonne puis en Allemagne").countries()).containsExactly("Portugal", "Germany");
        assertThat(PLACES.in("Je pars à Lisbonne").cities()).containsExactly("Lisbon");
    }

    @Test
    void negationsIntensifiersAndEmojiTurnTheSentiment() {
        assertThat(SENTIMENTS.of("The delivery was good").score()).isPositive();
        assertThat(SENTIMENTS.of("The delivery was not good").score()).isNegative();
        assertThat(SENTIMENTS.of("The delivery was very good").score())
                .isGreaterThan(SENTIMENTS.of("The delivery was good").score());
        assertThat(SENTIMENTS.of("My parcel arrived 😡").label()).isEqualTo("negative");
        assertThat(SENTIMENTS.of("My parcel arrived 😍").label()).isEqualTo("positive");
        assertThat(SENTIMENTS.of("Where is my parcel?").label()).isEqualTo("neutral");
        assertThat(SENTIMENTS.of("Das war nicht gut").label()).isEqualTo("negative");
        assertThat(SENTIMENTS.of("Ürün güzel değil").label()).isEqualTo("negative");
    }

    @Test
    void aTextInAScriptOnlyOneLanguageUsesIsThatLanguage() {
        Languages languages = new Languages(List.of("en", "fr", "ru", "ar", "hi"));
        assertThat(languages.of("Спасибо, всё пришло вовремя и в отличном состоянии")).containsExactly("ru");
        assertThat(languages.of("شكرا جزيلا على المساعدة السريعة")).containsExactly("ar");
        assertThat(languages.of("बहुत धन्यवाद, सब कुछ ठीक है")).containsExactly("hi");
        assertThat(languages.of("Thanks, everything arrived on time")).containsExactly("en");
    }

    @Test
    void aLongTextIsToldByItsBeginning() {
        String email = "Bonjour, je vous écris au sujet de ma commande passée la semaine dernière. ".repeat(40);
        assertThat(email.length()).isGreaterThan(2_000);
        assertThat(LANGUAGES.of(email)).containsExactly("fr");
    }

    @Test
    void anUnknownLanguageIsRefused() {
        assertThatThrownBy(() -> new Languages(List.of("en", "zz"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zz");
    }

    @Test
    void aShortTextHasNoLanguage() {
        assertThat(LANGUAGES.of("ok")).isEmpty();
        assertThat(LANGUAGES.of("👍")).isEmpty();
    }

    @Test
    void aMaskedTextGetsItsLanguageAndSentimentButNoNameOrPlace() {
        MeheryProperties properties = mock(MeheryProperties.class);
        when(properties.tags()).thenReturn(new MeheryProperties.Tags(true, List.of("en", "fr"), null,
                Duration.ofMillis(500), Map.of("travel", List.of("Lisbon")), Map.of()));
        MessageTags tags = new MessageTags(new LiveConfiguration(properties, new StaticListableBeanFactory()
                .getBeanProvider(LiveConfiguration.Listener.class)), null, new ObjectMapper());

        Tags masked = tags.of("Flying from Lisbon to Berlin with Lufthansa, thanks Maria!", true);

        assertThat(masked.langs()).containsExactly("en");
        assertThat(masked.sentiments()).containsExactly("positive");
        assertThat(masked.cities()).isEmpty();
        assertThat(masked.countries()).isEmpty();
        assertThat(masked.locations()).isEmpty();
        assertThat(masked.persons()).isEmpty();
        assertThat(masked.organizations()).isEmpty();
        assertThat(masked.categories()).isEmpty();
        assertThat(tags.of("Flying from Lisbon to Berlin with Lufthansa, thanks Maria!", false).categories())
                .containsExactly("travel");
    }

    @Test
    void organisationsAreNamedByTheirFormOrKind() {
        assertThat(ENTITIES.in("My account at Banco Santander is blocked").organizations())
                .containsExactly("Banco Santander");
        assertThat(ENTITIES.in("The invoice from Globex GmbH is wrong").organizations())
                .containsExactly("Globex GmbH");
        assertThat(ENTITIES.in("Hi, I am waiting since Monday").persons()).isEmpty();
    }

    @Test
    void aKnownFirstNameIsAPersonWhereverItStands() {
        assertThat(ENTITIES.in("Stefan Müller called me about the invoice").persons())
                .containsExactly("Stefan Müller");
        assertThat(ENTITIES.in("The parcel was signed for by Fatma yesterday").persons()).containsExactly("Fatma");
        assertThat(ENTITIES.in("Thanks Anna, and please tell Jean Pierre").persons())
                .containsExactly("Anna", "Jean", "Pierre");
        // first names that are also words count only after a greeting or a thanks
        assertThat(ENTITIES.in("Will you send it in May?").persons()).isEmpty();
        assertThat(ENTITIES.in("Thanks Grace").persons()).containsExactly("Grace");
        assertThat(ENTITIES.in("Mehmet Bey aradı").persons()).containsExactly("Mehmet");
    }

    @Test
    void turkishPlacesAreFoundWithTheirDottedCapitalAndTurkishCountryNames() {
        Places.Found found = PLACES.in("İzmir'den Almanya'ya gönderiyor musunuz");
        assertThat(found.locations()).containsExactly("İzmir", "Almanya");
        assertThat(found.cities()).containsExactly("Izmir");
        assertThat(found.countries()).containsExactly("Turkey", "Germany");
    }
}
