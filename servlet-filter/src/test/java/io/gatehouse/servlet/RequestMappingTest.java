package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.RequestFacts;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The request's headers reach the engine whole, by Jetty's one pass or by the servlet API's names. */
class RequestMappingTest {

  private static List<String> lines(RequestFacts f) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < f.headerCount(); i++) {
      out.add(f.headerName(i).toLowerCase(Locale.ROOT) + ": " + f.headerValue(i));
    }
    return out;
  }

  @Test
  void jettysWayAndTheServletApisWayGiveTheSameHeaders() throws Exception {
    AtomicReference<RequestFacts> direct = new AtomicReference<>();
    AtomicReference<RequestFacts> wrapped = new AtomicReference<>();
    AtomicReference<RequestFacts> viaApi = new AtomicReference<>();
    Filter probe = (request, response, chain) -> {
      HttpServletRequest req = (HttpServletRequest) request;
      direct.set(RequestMapping.facts(req));
      // A request wrapped by another filter is not Jetty's own object: the servlet API's way.
      wrapped.set(RequestMapping.facts(new HttpServletRequestWrapper(req)));
      RequestFacts.Builder b = RequestFacts.builder();
      ContainerHeaders.SERVLET_API.copy(req, b);
      viaApi.set(b.build());
      chain.doFilter(request, response);
    };
    try (JettyFixture jetty = JettyFixture.with(probe); Socket s = new Socket("127.0.0.1", jetty.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /p?q=1 HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 203.0.113.1\r\n"
          + "user-agent: Mozilla/5.0 test\r\nx-forwarded-for: 198.51.100.2, 10.0.0.1\r\nCookie: a=1\r\n"
          + "X-Empty:\r\nCOOKIE: b=2\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
    }
    RequestFacts f = direct.get();
    assertThat(f.path()).isEqualTo("/p");
    assertThat(f.query()).isEqualTo("q=1");
    assertThat(f.userAgent()).isEqualTo("Mozilla/5.0 test");
    assertThat(f.headers("X-Forwarded-For")).containsExactly("203.0.113.1", "198.51.100.2, 10.0.0.1");
    assertThat(f.headers("cookie")).containsExactly("a=1", "b=2");
    assertThat(f.cookie("b")).isEqualTo("2");
    assertThat(f.header("X-Empty")).isEmpty();
    // Jetty's way keeps the arrival order; the servlet API groups by name. Same lines either way.
    assertThat(lines(f)).containsExactlyInAnyOrderElementsOf(lines(viaApi.get()));
    assertThat(lines(wrapped.get())).containsExactlyElementsOf(lines(viaApi.get()));
    assertThat(lines(f)).containsSubsequence("x-forwarded-for: 203.0.113.1", "user-agent: Mozilla/5.0 test",
        "x-forwarded-for: 198.51.100.2, 10.0.0.1", "cookie: a=1", "cookie: b=2");
  }

  /**
   * Where Jetty is not on the class path (Tomcat, Undertow, a Jetty that hides its classes from web
   * applications), the servlet API's way copies the headers, and the class compiled against Jetty is never
   * even loaded: loading it there would fail on its imports.
   */
  @Test
  void withoutJettyTheServletApisWayCopiesTheHeadersAndJettysClassIsNeverLoaded() throws Exception {
    List<String> looked = new CopyOnWriteArrayList<>();
    URL[] withoutJetty = {codeSource(RequestMapping.class), codeSource(RequestFacts.class),
        codeSource(HttpServletRequest.class)};
    try (URLClassLoader loader = new URLClassLoader(withoutJetty, ClassLoader.getPlatformClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        looked.add(name);
        return super.findClass(name);
      }
    }) {
      Class<?> requestType = Class.forName(HttpServletRequest.class.getName(), false, loader);
      Object request = Proxy.newProxyInstance(loader, new Class<?>[] {requestType}, (proxy, m, args) ->
          switch (m.getName()) {
            case "getHeaderNames" -> Collections.enumeration(List.of("Accept", "X-Forwarded-For"));
            case "getHeaders" -> Collections.enumeration(args[0].equals("Accept") ? List.of("text/html")
                : List.of("203.0.113.1", "198.51.100.2"));
            case "getRemoteAddr" -> "192.0.2.1";
            case "getMethod" -> "GET";
            case "getScheme" -> "http";
            case "getServerName" -> "shop.example";
            case "getRequestURI" -> "/p";
            default -> null;
          });
      Method facts = Class.forName(RequestMapping.class.getName(), true, loader).getDeclaredMethod("facts",
          requestType);
      facts.setAccessible(true);
      Object f = facts.invoke(null, request);
      Method headers = f.getClass().getMethod("headers", String.class);
      assertThat(headers.invoke(f, "x-forwarded-for")).isEqualTo(List.of("203.0.113.1", "198.51.100.2"));
      assertThat(headers.invoke(f, "Accept")).isEqualTo(List.of("text/html"));
    }
    assertThat(looked).as("Jetty was looked for").contains("org.eclipse.jetty.ee10.servlet.ServletApiRequest")
        .contains(RequestMapping.class.getName()).doesNotContain(JettyHeaders.class.getName());
  }

  private static URL codeSource(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation();
  }
}
