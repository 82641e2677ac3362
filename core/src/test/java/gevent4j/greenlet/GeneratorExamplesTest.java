package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EXAMPLES.md #3: a producer feeding two consumers built with yield/send. */
class GeneratorExamplesTest {

    private static Generator<Void> consumer(String name, List<String> out) {
        return new Generator<>(y -> {
            out.add("---> start eating baozi...");
            while (true) {
                Object newBaozi = y.yield(null);
                out.add("[" + name + "] is eating baozi " + newBaozi);
            }
        });
    }

    @Test
    void producerFeedsTwoConsumersThroughSend() {
        List<String> out = new ArrayList<>();
        var tom = consumer("Tom", out);
        var jerry = consumer("Jerry", out);
        tom.next();
        jerry.next();
        for (int n = 1; n < 6; n++) {
            tom.send(n);
            jerry.send(n);
            out.add("[producer] is making baozi " + n);
        }
        tom.close();
        jerry.close();
        List<String> expected = new ArrayList<>(List.of("---> start eating baozi...", "---> start eating baozi..."));
        for (int n = 1; n < 6; n++) {
            expected.add("[Tom] is eating baozi " + n);
            expected.add("[Jerry] is eating baozi " + n);
            expected.add("[producer] is making baozi " + n);
        }
        assertEquals(expected, out);
    }
}
