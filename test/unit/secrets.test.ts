import { strict as assert } from 'node:assert';
import { isSecretName, SecretMasker, MASK } from '../../src/core/secrets';

describe('secret names', () => {
  it('treats a secret word between "_" or "-" (or the ends) as secret, in any case', () => {
    for (const name of [
      'GITHUB_TOKEN',
      'token',
      'DB_PASSWORD',
      'x-api-key',
      'X-Api-Key',
      'OPENAI_API_KEY',
      'myApiKey',
      'apikey',
      'Authorization',
      'AWS_SECRET_ACCESS_KEY',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'SESSION-COOKIE',
      'PRIVATE_KEY_PATH',
      'MYSQL_PWD',
      'proxy-auth',
    ])
      assert.equal(isSecretName(name), true, name);
  });

  it('does not treat a word that only contains one as secret', () => {
    for (const name of ['KEYBOARD_LAYOUT', 'TOKENIZER', 'AUTHOR', 'MONKEY', 'PATH', 'HOME', 'LOG_LEVEL', 'SESSIONS_DIR', '', '_', 'A--B'])
      assert.equal(isSecretName(name), false, name);
  });

  it('masks the values it was given, and short values not at all', () => {
    const m = new SecretMasker();
    m.add('s3cr3t-value');
    m.add('abc');
    assert.equal(m.mask('token s3cr3t-value and abc'), `token ${MASK} and abc`);
  });
});
