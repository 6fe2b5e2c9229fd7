from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    # Local runs only: the container runs gunicorn.
    app.run(debug=True)
