package example;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EchoExampleTest {
    @Test
    void theServerSendsBackWhatTheClientSent() throws Exception {
        assertEquals("hello from a user's project", EchoExample.echo("hello from a user's project"));
    }
}
