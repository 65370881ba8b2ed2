package io.mehery.gateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What type a user's file is served as: what a browser only shows keeps its type, what it could run is bytes. */
class MediaFilesTest {

    @Test
    void aTypeABrowserWouldRunIsServedAsBytes() {
        assertThat(MediaFiles.shownType("text/html; charset=utf-8")).isEqualTo("application/octet-stream");
        assertThat(MediaFiles.shownType("image/svg+xml")).isEqualTo("application/octet-stream");
        assertThat(MediaFiles.shownType("application/xhtml+xml")).isEqualTo("application/octet-stream");
        assertThat(MediaFiles.shownType(null)).isEqualTo("application/octet-stream");
        assertThat(MediaFiles.shownType("image/JPEG")).isEqualTo("image/jpeg");
        assertThat(MediaFiles.shownType("application/pdf")).isEqualTo("application/pdf");
        assertThat(MediaFiles.shownType("audio/ogg; codecs=opus")).isEqualTo("audio/ogg");
    }
}
