package gevent4j.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLParameters;

/**
 * The {@link HttpsParameters} handed to {@link HttpsConfigurator#configure} for one connection,
 * before its handshake: records the {@link SSLParameters} the configurator chooses.
 */
final class TlsParameters extends HttpsParameters {
    private final HttpsConfigurator configurator;
    private final InetSocketAddress client;
    private SSLParameters chosen;

    TlsParameters(HttpsConfigurator configurator, InetSocketAddress client) {
        this.configurator = configurator;
        this.client = client;
    }

    @Override
    public HttpsConfigurator getHttpsConfigurator() {
        return configurator;
    }

    @Override
    public InetSocketAddress getClientAddress() {
        return client;
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        chosen = params;
    }

    /** What the configurator set, or null if it set nothing. */
    SSLParameters chosen() {
        return chosen;
    }
}
