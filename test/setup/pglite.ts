process.env.KITBRIDGE_TEST_DB = 'pglite';
