package dev.patguard.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects the base URL of the running {@link WithFakeBrms} server into a parameter of type {@link
 * java.net.URI} or {@link String}, such as {@code http://127.0.0.1:53211}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(FakeBrmsExtension.class)
public @interface FakeBrmsUrl {}
