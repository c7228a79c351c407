package io.gatehouse.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;

/**
 * The first bytes of a request body, read for the rules ({@code gatehouse.body.inspect-bytes}), and the
 * request the application then gets: one whose input stream gives those bytes again and then the rest of
 * the body, so that the application reads the whole body untouched.
 *
 * <p>Reading stops at the limit or at the end of the body, whichever comes first: the request thread
 * waits for at most that many bytes, never for the whole of a large upload. A request that declares no
 * body (no Content-Length and no Transfer-Encoding, or a length of 0) is not read at all.
 *
 * @param bytes what was read
 * @param size the whole body's size: its Content-Length, or what was read when that was all; -1 when unknown
 * @param truncated whether the body goes on past {@code bytes} (or may: the buffer filled and no length was declared)
 */
record BodyPrefix(byte[] bytes, long size, boolean truncated) {

  private static final BodyPrefix EMPTY = new BodyPrefix(new byte[0], 0, false);

  /** Reads at most {@code limit} bytes of the body of {@code request}. */
  static BodyPrefix read(HttpServletRequest request, int limit) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared == 0 || declared < 0 && request.getHeader("Transfer-Encoding") == null) {
      return EMPTY;
    }
    int capacity = (int) (declared < 0 ? limit : Math.min(limit, declared));
    byte[] buffer = request.getInputStream().readNBytes(capacity);
    boolean full = buffer.length == limit;
    boolean truncated = declared > buffer.length || declared < 0 && full;
    long size = declared >= 0 ? declared : truncated ? -1 : buffer.length;
    return new BodyPrefix(buffer, size, truncated);
  }

  /** Whether anything was read, so that the application must be handed the bytes again. */
  boolean consumed() {
    return bytes.length > 0;
  }

  /**
   * The request as the application must see it: its input stream and reader replay the bytes read, then
   * go on with the rest of the body. A form body's parameters are parsed from the replayed body too, since
   * the container's own parser would read the stream after the bytes taken.
   */
  HttpServletRequest replaying(HttpServletRequest request) {
    return consumed() ? new Replaying(request, bytes) : request;
  }

  /** A request whose body starts with bytes already read from it. */
  static final class Replaying extends HttpServletRequestWrapper {
    private final byte[] prefix;
    private ServletInputStream stream;
    private BufferedReader reader;
    private FormParameters parameters;

    Replaying(HttpServletRequest request, byte[] prefix) {
      super(request);
      this.prefix = prefix;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (reader != null) {
        throw new IllegalStateException("getReader() has already been called for this request");
      }
      if (stream == null) {
        stream = new ReplayingStream(prefix, super.getInputStream());
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      if (stream != null && reader == null) {
        throw new IllegalStateException("getInputStream() has already been called for this request");
      }
      if (reader == null) {
        reader = new BufferedReader(new InputStreamReader(new ReplayingStream(prefix, super.getInputStream()),
            charset()));
      }
      return reader;
    }

    private Charset charset() throws UnsupportedEncodingException {
      String name = getCharacterEncoding();
      if (name == null) {
        return StandardCharsets.ISO_8859_1;
      }
      try {
        return Charset.forName(name);
      } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
        throw new UnsupportedEncodingException(name);
      }
    }

    private FormParameters parameters() {
      if (parameters == null) {
        parameters = FormParameters.of(this);
      }
      return parameters;
    }

    @Override
    public String getParameter(String name) {
      return parameters().handles() ? parameters().first(name) : super.getParameter(name);
    }

    @Override
    public java.util.Map<String, String[]> getParameterMap() {
      return parameters().handles() ? parameters().map() : super.getParameterMap();
    }

    @Override
    public java.util.Enumeration<String> getParameterNames() {
      return parameters().handles() ? java.util.Collections.enumeration(parameters().map().keySet())
          : super.getParameterNames();
    }

    @Override
    public String[] getParameterValues(String name) {
      return parameters().handles() ? parameters().values(name) : super.getParameterValues(name);
    }
  }

  /**
   * The buffered bytes, then the request's own stream. Non-blocking reads work as the container's: while
   * buffered bytes remain the stream is ready, and a read listener hears of the rest from the container.
   */
  static final class ReplayingStream extends ServletInputStream {
    private final byte[] prefix;
    private final ServletInputStream rest;
    private int at;

    ReplayingStream(byte[] prefix, ServletInputStream rest) {
      this.prefix = prefix;
      this.rest = rest;
    }

    @Override
    public int read() throws IOException {
      return at < prefix.length ? prefix[at++] & 0xFF : rest.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (at < prefix.length) {
        int n = Math.min(len, prefix.length - at);
        System.arraycopy(prefix, at, b, off, n);
        at += n;
        return n;
      }
      return rest.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return at < prefix.length ? prefix.length - at : rest.available();
    }

    @Override
    public boolean isFinished() {
      return at >= prefix.length && rest.isFinished();
    }

    @Override
    public boolean isReady() {
      return at < prefix.length || rest.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      // The container calls the listener when its own stream has data or is done; the buffered bytes
      // are handed over first, in the first call, as data available.
      rest.setReadListener(new ReadListener() {
        @Override
        public void onDataAvailable() throws IOException {
          listener.onDataAvailable();
        }

        @Override
        public void onAllDataRead() throws IOException {
          if (at < prefix.length) {
            listener.onDataAvailable();
          }
          listener.onAllDataRead();
        }

        @Override
        public void onError(Throwable t) {
          listener.onError(t);
        }
      });
    }

    @Override
    public void close() throws IOException {
      at = prefix.length;
      rest.close();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BodyPrefix b && Arrays.equals(bytes, b.bytes) && size == b.size && truncated == b.truncated;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes) * 31 + Long.hashCode(size);
  }

  @Override
  public String toString() {
    return bytes.length + " bytes of " + (size < 0 ? "?" : size) + (truncated ? ", truncated" : "");
  }
}
