const { Worker } = require('bullmq');

const worker = new Worker('mail', async (job) => {
            // ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ service/structured-logging none
  console.log('sending', job.id);
});
