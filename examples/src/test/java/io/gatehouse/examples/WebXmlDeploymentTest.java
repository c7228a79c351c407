package io.gatehouse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The WAR-layout example in {@code examples/webapp}, deployed as Jetty deploys a web application. */
class WebXmlDeploymentTest {

  @Test
  void theFilterDeclaredInWebXmlBlocksAndAllows() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setBaseResourceAsPath(Path.of("webapp").toAbsolutePath());
    webapp.setParentLoaderPriority(true);
    webapp.setThrowUnavailableOnStartupException(true);
    server.setHandler(webapp);
    server.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
      HttpResponse<String> allowed = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.body()).contains("Gatehouse let this request through");

      HttpResponse<String> blocked = client.send(HttpRequest.newBuilder(uri).header("X-Forwarded-For", "203.0.113.50").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(blocked.statusCode()).isEqualTo(403);
      assertThat(blocked.headers().firstValue("Gatehouse-Error")).contains("1012");
      assertThat(blocked.body()).contains("Error 1012").contains("Example Web App").contains("Your IP: 203.0.113.50");
    } finally {
      server.stop();
    }
  }
}
