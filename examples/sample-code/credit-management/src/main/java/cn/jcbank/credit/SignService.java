package cn.jcbank.credit;

import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import javax.crypto.Cipher;

/** Signs loan contracts and hashes customer passwords (before the 密评 review). */
public class SignService {
    public byte[] sign(byte[] contract, java.security.PrivateKey key) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(contract);
        return signature.sign();
    }

    public java.security.KeyPair newKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    public byte[] encrypt(byte[] data, javax.crypto.SecretKey key) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key);
        return cipher.doFinal(data);
    }

    public byte[] passwordHash(String password) throws Exception {
        return MessageDigest.getInstance("MD5").digest(password.getBytes("UTF-8"));
    }
}
