package org.cameltaas.component.provider.bedrock;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class SigV4SignerTest {

    /** AWS's own worked example of Signature Version 4 (IAM ListUsers, 2015-08-30T12:36:00Z, AKIDEXAMPLE). */
    @Test
    void signsAwsDocumentedExampleToItsPublishedSignature() {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        SigV4Signer.sign("GET", URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"), headers,
                new byte[0], new SigV4Signer.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null),
                "us-east-1", "iam", Instant.parse("2015-08-30T12:36:00Z"));
        assertEquals("20150830T123600Z", headers.get("x-amz-date"));
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", headers.get("Authorization"));
    }

    @Test
    void credentialsAreAKeyPairWithAnOptionalSessionTokenAndNeverPrintTheSecret() {
        SigV4Signer.Credentials pair = SigV4Signer.Credentials.parse("AKIA123:s3cr3t/+x");
        assertEquals("AKIA123", pair.accessKeyId());
        assertNull(pair.sessionToken());
        assertEquals("tok:en", SigV4Signer.Credentials.parse("AKIA123:s3cr3t:tok:en").sessionToken());
        assertNull(SigV4Signer.Credentials.parse("ABSKbedrockApiKey"), "a Bedrock API key is a bearer token");
        assertFalse(pair.toString().contains("s3cr3t"));
    }

    @Test
    void theRegionComesFromTheEndpointsHost() {
        assertEquals("eu-central-1", BedrockProvider.region(URI.create("https://bedrock-runtime.eu-central-1.amazonaws.com")));
        assertEquals("us-gov-west-1", BedrockProvider.region(URI.create("https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com")));
        assertEquals("us-east-1", BedrockProvider.region(URI.create("http://127.0.0.1:9000")));
    }
}
