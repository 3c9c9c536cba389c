process.env.KITBRIDGE_TEST_DB = 'postgres';
